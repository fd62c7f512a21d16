def f(v):
    return 10 / v

vals = [1, 2, 0]
print([f(v) for v in vals[:2]])
total = sum(f(v) for v in vals)
