import torch

x = torch.zeros(3)
alias = x
x += 1
print(x is alias, x._version, alias.tolist())
x = x + 1
print(x is alias, alias.tolist(), x.tolist())
n = 5
m = n
n += 1
print(n, m)
t = torch.zeros(2, 2)
t[0] += 1
t[1, 1] = 4.0
t[:, 0] *= 3
print(t._version, t.tolist())
lst = [1]
other = lst
lst += [2]
print(lst is other, other)
w = torch.ones(2, requires_grad=True)
w.grad = torch.tensor([0.5, 0.5])
(w * 3).sum().backward()
print(w.grad.tolist())
w.grad = None
print(w.grad)
h = w * 2
h.retain_grad()
(h * h).sum().backward()
print(h.grad.tolist(), w.grad.tolist())
g = (w * w).sum()
print(g.grad_fn.name(), [(f.name() if f is not None else None, i) for f, i in g.grad_fn.next_functions])
print(g.grad_fn.next_functions[0][0].next_functions[0][0].name())
d = w.detach()
print(d.requires_grad, d._version, w.data.requires_grad)
