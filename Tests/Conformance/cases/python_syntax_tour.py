x = 1; y = 2; z = x + \
    y
print(x, y, z)
print(2 ** 3 ** 2, -2 ** 2, (-2) ** 2, - - 3, not 1 == 2, 5 & 3 | 8 ^ 1, 1 << 4 >> 2, ~7, 7 % 3 * 2)
print(0o17, 0b101, 0xFF, 1_000.5, .5e-3, 1E5, 10 // 3 * 3 + 10 % 3)
s = """he said "hi"
and 'bye'"""
print(s, r"\n", "\x41\u00e9\t|", len("\\"))
if x: pass
while x: x -= 1
class A: pass
def f(): return 1
print(x, A.__name__, f(), [1, 2,], {"a": 1,}, (1,))
words = ["bb", "a", "ccc"]
words.sort(key=lambda w: (len(w), w), reverse=True)
print(words, sorted(words, key=len)[0], "x" if len(words) > 2 else "y")
print(f"{3.5!r:>6}|{'q'!r}|{[1, {'k': 2}]}|{x:{'<'}{4}}|")
a = b = c = [0]
a += [1]
print(a, b, c, a is c, 1 < 2 <= 2 != 3, 3 is not None, "a" not in "bcd")
def kw(a, *, b, c=3): return a + b + c
print(kw(1, b=2), kw(a=1, b=1, c=1))
print(*[1, 2], sep="-")
print({**{"a": 1}} if False else "skip")
def g(*args, **kwargs): return args, kwargs
print(g(1, *[2, 3], k=4, **{"m": 5}))
	
for i in range(2):
	print("tab", i)
# trailing comment without newline
print("eof")
# last