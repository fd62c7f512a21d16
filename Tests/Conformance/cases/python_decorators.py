import torch


class Counter:
    total = 0

    def __init__(self, start=0):
        self._value = start

    @property
    def value(self):
        return self._value * 2

    @staticmethod
    def describe(x):
        return f"counter {x}"

    @classmethod
    def make(cls, v):
        return cls(v)


c = Counter.make(4)
print(c.value, Counter.describe(3), c.describe(5), type(c).__name__)


@torch.no_grad()
def evaluate(w):
    return (w * 2).requires_grad


def twice(f):
    def wrapper(*args, **kwargs):
        return f(*args, **kwargs) * 2
    return wrapper


@twice
def add(a, b=1):
    return a + b


w = torch.ones(2, requires_grad=True)
print(evaluate(w), (w * 2).requires_grad, add(3), add(3, b=4))
