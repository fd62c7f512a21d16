import torch

torch.manual_seed(9)
x = torch.randn(3, 2, requires_grad=True)
m = torch.tensor([True, False, True])
y = x[m]
print(y.grad_fn.name(), y.shape, y._base is None, y.is_leaf)
z = x[x > 0]
print(z.shape, z.grad_fn.name())
try:
    x[torch.tensor([True, False])]
except Exception as e:
    print(type(e).__name__, e)
print(torch.ones(2, 2)[torch.ones(2, 2) > 0].shape)
(y.sum() * 2 + z.sum()).backward()
print(x.grad)
scores = torch.randn(5, requires_grad=True)
positive = scores[scores > 0]
positive.mul_(10)
m2 = torch.tensor([True, True, False])
picked = x[m2]
m2[0] = False
picked.sum().backward()
