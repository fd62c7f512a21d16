x = 1
print(x)
if x == 1
    print("no colon")
