print(bin(5), hex(255), oct(-8), format(3.14159, ".2f"), format(42), callable(len), callable(3), issubclass(bool, int))
try:
    raise UserWarning("careful")
except Warning as w:
    print(type(w).__name__, w)
