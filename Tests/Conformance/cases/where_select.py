import torch

torch.manual_seed(8)
x = torch.randn(2, 3, requires_grad=True)
c = x > 0
w = torch.where(c, x, torch.zeros(3))
print(w.grad_fn.name(), [None if f is None else f.name() for f, _ in w.grad_fn.next_functions])
w2 = torch.where(c, x, 0.0)
print(w2.dtype, [None if f is None else f.name() for f, _ in w2.grad_fn.next_functions])
w3 = torch.where(c, 1.0, x)
print([None if f is None else f.name() for f, _ in w3.grad_fn.next_functions])
print(torch.where(c, 1, 0).dtype, torch.where(c, 1.0, 0).dtype, torch.where(c, 1, 0))
b = torch.ones(3, requires_grad=True)
w4 = x.where(c, b * 2)
print(w4.grad_fn.name())
(w.sum() + w2.sum() * 2 + w3.sum() * 3 + w4.sum()).backward()
print(x.grad)
print(b.grad)
for cond, a, o in [(x, x, x), (c, x, torch.ones(4))]:
    try:
        torch.where(cond, a, o)
    except Exception as e:
        print(type(e).__name__, e)
print(torch.where(c, torch.ones(3, dtype=torch.float64), x).dtype)
h = torch.randn(4, requires_grad=True)
s = h.sigmoid()
gated = torch.where(s > 0.5, s, torch.zeros(4))
s.mul_(2)
gated.sum().backward()
