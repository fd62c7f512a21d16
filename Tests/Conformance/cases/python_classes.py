class Point:
    scale = 2

    def __init__(self, x, y=0):
        self.x = x
        self.y = y

    def norm2(self):
        return (self.x ** 2 + self.y ** 2) * self.scale

    def __repr__(self):
        return f"Point({self.x}, {self.y})"


class Point3(Point):
    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z

    def norm2(self):
        return super().norm2() + self.z ** 2


p = Point(3, 4)
q = Point3(1, 2, 3)
print(p, q, p.norm2(), q.norm2(), isinstance(q, Point), isinstance(p, Point3))
print([p, q], str(p), p.scale, Point.scale)
p.x = 10
print(p.norm2())


class Stack:
    def __init__(self):
        self.items = []

    def push(self, item):
        self.items.append(item)
        return self

    def __len__(self):
        return len(self.items)


s = Stack().push(1).push(2)
print(len(s), s.items, bool(s))
try:
    p.missing
except AttributeError as e:
    print("AttributeError:", e)
try:
    Point()
except TypeError as e:
    print("TypeError:", e)
