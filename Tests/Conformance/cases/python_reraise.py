def g():
    try:
        return 1 / 0
    except ZeroDivisionError:
        print("handling")
        raise

try:
    g()
except ZeroDivisionError as e:
    print("outer", e)
g()
