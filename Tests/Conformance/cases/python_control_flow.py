def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

print([fib(i) for i in range(10)])
total = 0
for i in range(10):
    if i % 2 == 0:
        continue
    if i > 7:
        break
    total += i
else:
    print("not reached")
print(total)
n = 0
while n < 5:
    n += 1
else:
    print("while else", n)
for i, (a, b) in enumerate(zip([1, 2, 3], "xyz"), start=1):
    print(i, a, b)
first, *rest = [1, 2, 3, 4]
print(first, rest)
a, b = b, a = 1, 2
print(a, b)
d = {"x": 1}
d["y"] = 2
d["x"] += 10
for k, v in d.items():
    print(k, v)
print(d.get("z"), d.get("z", 0), len(d), list(d), "x" in d)
lst = []
lst.append(3)
lst.extend([1, 2])
lst.sort()
lst.insert(0, 9)
print(lst, lst.pop(), lst.index(2), lst.count(1), lst[-1], lst[1:], lst[::2])
lst[0] = 7
lst[1:2] = [5, 5]
print(lst)
squares = {k: k * k for k in range(4) if k != 2}
print(squares, [x * y for x in range(3) for y in range(3) if x != y])
print(sum(x for x in range(5)), any(x > 3 for x in range(5)), all([]))

def greet(name, greeting="Hello", *args, punct="!", **kw):
    return f"{greeting}, {name}{punct} {args} {kw}"

print(greet("Bob"))
print(greet("Ann", "Hi", 1, 2, punct="?", extra=True))
f = lambda x, y=2: x * y
print(f(3), f(3, 3), (lambda: "none")())
x = 5
def outer():
    y = 10
    def inner():
        return x + y
    return inner()
print(outer())
counter = 0
def bump():
    global counter
    counter += 1
bump(); bump()
print(counter)
print(1 if counter else 2, "yes" if not counter else "no")
