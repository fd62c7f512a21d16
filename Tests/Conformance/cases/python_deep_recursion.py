class Node:
    def __init__(self, depth):
        self.child = Node(depth - 1) if depth > 0 else None

    def total(self):
        return 1 + (self.child.total() if self.child is not None else 0)

def f(n):
    return [x for x in [f(n - 1) if n > 0 else 0]][0] + 1

try:
    print(Node(2000).total())
except RecursionError as e:
    print("RecursionError", e)
try:
    print(f(5000))
except RecursionError as e:
    print("RecursionError", e)
print(Node(300).total(), f(300))
