class Quiet:
    def __init__(self, label):
        self.label = label

    def __enter__(self):
        print("enter", self.label)
        return self

    def __exit__(self, kind, value, tb):
        print("exit", self.label, kind.__name__ if kind else None, value)
        return kind is ZeroDivisionError


with Quiet("a") as q:
    print("inside", q.label)
with Quiet("b"):
    1 / 0
print("after")
with Quiet("c"):
    [][0]
