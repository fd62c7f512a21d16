a = []
for i in range(5000):
    a = [a]
try:
    print(a)
except RecursionError as e:
    print("RecursionError:", e)
t = ()
for i in range(5000):
    t = (t,)
try:
    s = str(t)
except RecursionError as e:
    print("RecursionError:", e)
