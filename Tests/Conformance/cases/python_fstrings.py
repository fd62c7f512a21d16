x = 3.14159
n = 42
name = "tape"
print(f"{x:.2f} {x:8.3f}| {x:<8.1f}| {x:^9.2f}| {x:+.1e} {n:05d} {n:>6} {n:<4}| {n:x} {n:b} {n:,} {1234567.891:,.2f}")
print(f"{name!r} {name:>8} {name:*^10} {name!s:.2} {x!r} {n=} {x = :.1f}")
print(f"{0.000012345:g} {123456789.0:g} {1.0:g} {0.5:%} {0.25:.1%} {2.0:.0f} {2.5:.0f} {3.5:.0f} {-0.0:.1f}")
print(f"{{literal}} {[1, 2][0]} {'nested'} {x if n > 1 else 0:.1f} {len(name)}")
width = 7
print(f"{n:{width}d}|{x:.{2}f}|")
print("{} and {:.3f} and {name}".format(1, 2.0, name="kw"), "{0}{1}{0}".format("a", "b"))
print("%d items at %.2f each, %s" % (3, 1.5, "ok"), "%5.1f%%" % 99.5)
print(f"{1e-05} {1e16} {float('inf')} {True} {None} {[1.0, 2.5]}")
print(f"""multi
{n}""")
print(str(1.0), str(0.1), 1e22, 1.0e-4, 123e-7, 5e-324, 1.7976931348623157e308)
print(round(0.125, 2), round(0.375, 2), round(-1.5), round(1.5), round(1e15), round(2.5, 0))
