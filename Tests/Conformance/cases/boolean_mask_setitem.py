import torch

torch.manual_seed(4)
x = torch.randn(4, 3, requires_grad=True)
y = x.exp()
z = y.clone()
z[z > 2] = 2.0
print(z.grad_fn.name(), z._version, [f.name() if f is not None else None for f, _ in z.grad_fn.next_functions])
v = torch.tensor(5.0, requires_grad=True)
rows = torch.tensor([True, False, True, False])
z[rows] = v
print(z.grad_fn.name(), z._version)
z.sum().backward()
print(x.grad)
print(v.grad)
q = torch.zeros(3)
q[torch.tensor([True, False, True])] = torch.tensor([1.0, 2.0])
print(q, q._version)
q = torch.zeros(3, dtype=torch.long)
q[q == 0] = 2.7
print(q)


def put(t, mask, value):
    try:
        t[mask] = value
    except Exception as e:
        print(type(e).__name__, e)


put(torch.zeros(3), torch.tensor([True, False, True]), torch.tensor([1, 2]))
put(torch.zeros(3), torch.tensor([True, False, True]), torch.tensor([1.0, 2, 3]))
put(torch.zeros(4, 3), torch.tensor([True, False, True]), 1.0)
w = torch.ones(2, 2)
w[:, 0][torch.tensor([False, True])] = 3.0
print(w)
h = torch.randn(3, 2, requires_grad=True)
a = h.sigmoid()
a[a < 0.5] = 0.0
a.sum().backward()
