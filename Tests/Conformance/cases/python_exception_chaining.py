def load(d, k):
    try:
        return d[k]
    except KeyError as e:
        raise RuntimeError(f"missing {k}") from e

try:
    load({}, "a")
except RuntimeError as e:
    print(e, repr(e))
try:
    1 / 0
except ZeroDivisionError:
    x = [][1]
