count = 0
total = 5

def reads_global():
    return total + 1

def shadows_later():
    print(len([1, 2]))
    try:
        print(total)
    except UnboundLocalError as e:
        print("UnboundLocalError:", e)
    total = 3
    return total

def outer():
    n = 1
    def inner():
        nonlocal n
        n += 1
        return n
    inner()
    return inner()

print(reads_global(), shadows_later(), outer())

def bump():
    count += 1

bump()
