def helper(values):
    total = 0
    for v in values:
        total += 10 / v
    return total

def main():
    print(helper([1, 2]))
    print(helper([1, 0]))

main()
