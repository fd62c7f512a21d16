class A:
    def __init__(self):
        self.items = {}

    def add(self, key, value=None, *, tag="t"):
        self.items[key] = (value, tag)
        return len(self.items)

a = A()
print(a.add("x"), a.add("y", 2, tag="z"), a.items)
print(sorted(a.items.items()), {k: v for k, v in zip("ab", range(2))})
print(max([3, 1, 2], key=lambda v: -v), min("hello"), sum([[1], [2]], []), list(map(lambda v: v * 2, [1, 2])))
print([i for i in range(20) if i % 3 == 0][-2:], list(filter(None, [0, 1, "", "a"])))
s = "a,b,,c"
print(s.split(","), " x y ".strip(), "abc".startswith("ab"), "abc".replace("b", "B"), "{:>5}|".format("ab"))
print(str(None), str(True), repr(1.0), repr("x"), 10 ** 18, -(2 ** 62))
print(7 // -2, -7 % 2, 2 ** 0.5, 10 / 5, 3.0 // 2, abs(-0.0), round(-0.5), round(1.25, 1), round(1.35, 1))
x = [1, 2, 3]
x[1:2] = []
del x[0]
print(x, x * 0, [] == [], [1] != [1], (1, 2) < (1, 2, 0), "b" > "abc", None == 0)
i = 0
while True:
    i += 1
    if i >= 3:
        break
print(i, 1e-4, 0.0001, 1e-5 * 10, 123.456e10, float(10**16), 2.5e-5)
t = (1,)
print(t, t * 2, (), type(t).__name__, len(()), 1 in t, [*t, 2], [(i, j) for i, j in [(1, 2)]])
print(f"{'a':<3}|{'b':>3}|{'c':^3}|{3:+d}|{-3: d}|{3.0:e}|{1234.5:,.1f}|{0.1234:.1%}|{12:#x}|{255:08b}")
print("%s %r %5.2f %-4d| %05d %x" % ("s", "r", 3.14159, 7, 42, 255))
def gen_default(v, acc=[]):
    acc.append(v)
    return acc
print(gen_default(1), gen_default(2))
assert True, "fine"
try:
    assert 1 == 2, "math broke"
except AssertionError as e:
    print("AssertionError:", e)
print(divmod(-7, 2), pow(2, -1), int("-12"), float("1e3"), float("-inf"), int(True), bool([]), bool("0"))
