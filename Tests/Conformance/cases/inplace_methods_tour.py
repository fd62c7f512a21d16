import torch

torch.manual_seed(42)
a = torch.arange(0, 1, 0.25)
b = torch.full((4,), 2.0)
print(a.tolist(), b.tolist(), torch.arange(5, 0, -2).tolist(), torch.arange(3.0).dtype)
c = a.clone()
c.sub_(1).pow_(2).neg_().div_(2).clamp_(-0.3, 0.0)
print([round(v, 4) for v in c.tolist()], c._version)
d = torch.zeros(4)
d.copy_(b)
d.fill_(3)
d.exp_()
d.log_()
print(d.tolist(), d._version)
w = torch.ones(2, 2, requires_grad=True)
v = w.detach()
v.requires_grad_()
print(v.requires_grad, v.is_leaf, w.requires_grad)
h = w * 3
h.detach_()
print(h.requires_grad, h.grad_fn, h._version)
g = torch.ones_like(w)
w.grad = g
print(w.grad is g, w.grad.sum().item())
with torch.no_grad():
    y = w * 2
    with torch.enable_grad():
        z = w * 2
print(y.requires_grad, z.requires_grad, z.grad_fn.name())
r = torch.randn(3, 4)
print(r.shape, r.mean().dim(), torch.rand(2, 2).numel(), torch.randn(2, requires_grad=True).requires_grad)
m = torch.zeros(3, 3)
m[1, :] = torch.tensor([1.0, 2.0, 3.0])
m[:, 2] += 10
m[0][0] = -1
print(m.tolist(), m._version)
s = m.sum(dim=1, keepdim=True)
print(s.shape, s.tolist(), m.mean(dim=0).tolist(), m.max(dim=0).values.tolist(), m.min(0).indices.tolist())
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = torch.stack([x[0] * 2, x[1] ** 2, x[2].exp()])
y.backward(torch.tensor([1.0, 1.0, 0.0]))
print(x.grad.tolist(), y.grad_fn.name())
x.grad.zero_()
out = torch.cat([x, x * 2]).view(2, 3).t().reshape(6)
out.sum().backward()
print(x.grad.tolist(), out.grad_fn.name())
