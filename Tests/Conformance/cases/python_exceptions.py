def risky(kind):
    if kind == 0:
        return 1 / 0
    if kind == 1:
        return [1, 2][5]
    if kind == 2:
        return {"a": 1}["b"]
    if kind == 3:
        return undefined_name
    if kind == 4:
        return "a" + 1
    if kind == 5:
        raise RuntimeError("custom message")
    if kind == 6:
        return int("x")
    if kind == 7:
        return 1 + "a"
    if kind == 8:
        return 5 // 0
    if kind == 9:
        return 2.0 % 0
    return None

for kind in range(11):
    try:
        print(kind, risky(kind))
    except ZeroDivisionError as e:
        print(kind, "ZeroDivisionError:", e)
    except (IndexError, KeyError) as e:
        print(kind, type(e).__name__, e, repr(e))
    except Exception as e:
        print(kind, "Exception:", type(e).__name__, e)
    finally:
        print("finally", kind)

try:
    raise ValueError("bad", 3)
except ValueError as e:
    print(e, e.args)
try:
    try:
        raise KeyError("inner")
    except KeyError:
        raise RuntimeError("outer")
except:
    print("bare except caught")

def deep(n):
    return deep(n + 1)

try:
    deep(0)
except RecursionError as e:
    print("RecursionError:", e)

def f(a, b):
    return a + b

for call in [lambda: f(1), lambda: f(1, 2, 3), lambda: f(1, c=2), lambda: f(1, a=2)]:
    try:
        call()
    except TypeError as e:
        print("TypeError:", e)
print(undefined_at_end)
