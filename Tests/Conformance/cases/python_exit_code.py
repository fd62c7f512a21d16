print("a")
exit(3)
print("b")
