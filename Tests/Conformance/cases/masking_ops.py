import torch

torch.manual_seed(0)
x = torch.randn(3, 3, requires_grad=True)
a = x * 1
m = torch.ones(3, 3).tril() == 0
print(torch.ones(3, 3).tril().grad_fn, a.tril().grad_fn.name(), a.triu(1).grad_fn.name(), torch.tril(a, -1).grad_fn.name())
print(torch.ones(2, 4).triu(-1))
print(torch.ones(2, 3, 3).tril(1)[1])
b = a.masked_fill(m, 0.5)
print(b.grad_fn.name(), b._version, b)
c = a.clone()
c.masked_fill_(m, 1.0)
print(c.grad_fn.name(), c._version)
try:
    a.masked_fill(torch.ones(3, 3), 0.0)
except Exception as ex:
    print(type(ex).__name__, ex)
try:
    torch.ones(3).clone().masked_fill_(torch.ones(2, 3) == 1, 2.0)
except Exception as ex:
    print(type(ex).__name__, ex)
try:
    torch.ones(3).tril()
except Exception as ex:
    print(type(ex).__name__, ex)
print(torch.ones(3).masked_fill(torch.ones(2, 3) == 1, 2.0).shape)
print(a.masked_fill(m[0], 7.0))
print(torch.ones(2, dtype=torch.long).masked_fill(torch.tensor([True, False]), 2.7))
print(torch.masked_fill(torch.ones(2), torch.tensor([True, False]), 5).dtype)
(b.sum() + (c * 2).sum() + a.tril(-1).sum() * 3 + torch.ones(3).masked_fill(torch.ones(2, 3) == 1, 2.0).sum()).backward()
print(x.grad)
y = torch.ones(2, 3, requires_grad=True)
z = y.masked_fill(torch.tensor([True, False, True]), 0.0)
(z * torch.tensor([[1.0, 2.0, 3.0]])).sum().backward()
print(y.grad)
