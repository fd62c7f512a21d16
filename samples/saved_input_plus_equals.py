import torch

# a is saved by `a * a` (MulBackward0 keeps both operands), then changed in place.
x = torch.ones(5, requires_grad=True)
a = x * 2
y = a * a
loss = y.sum()
a += 1
loss.backward()
print(x.grad)
