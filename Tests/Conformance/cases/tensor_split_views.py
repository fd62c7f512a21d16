import torch
x = torch.randn(3, 12, requires_grad=True)
y = x * 1
a, b, c = y.split(4, dim=-1)
print(a.grad_fn.name(), a.grad_fn is b.grad_fn, a._base is y, a.shape)
print(y.split(5, dim=1)[2].shape, len(y.split(5, dim=1)), len(torch.split(y, 5, 1)))
print(y.split([2, 10], dim=1)[0].grad_fn.name(), y.split((2, 10), 1)[1].shape)
for f in [lambda: y.split(0, 1), lambda: y.split([2, 9], 1), lambda: y.split(-1, 1), lambda: y.split([13, -1], 1), lambda: y.split(4, dim=5), lambda: torch.ones(()).split(1)]:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
(a.sum() + c.sum() * 2).backward()
print(x.grad[0])
with torch.no_grad():
    p = y.split(4, 1)[0]
print(p.requires_grad, p.grad_fn)
print(torch.zeros(0, 2).split(0))
