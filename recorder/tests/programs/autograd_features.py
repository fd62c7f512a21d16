import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

x = torch.randn(3, 4, requires_grad=True)
w = torch.randn(4, 4, requires_grad=True)
y = (x @ w).tanh()
g, = torch.autograd.grad(y.sum(), w, create_graph=True)
print(g.shape, g.requires_grad)
g.sum().backward()
print(x.grad is None, w.grad.shape)

@torch.no_grad()
def update(p):
    p.mul_(0.5)

update(w)
lin = nn.Linear(4, 2)
out = checkpoint(lambda t: lin(t).relu(), x, use_reentrant=False)
out.sum().backward()
print(lin.weight.grad.shape)
w.data = torch.zeros(4, 4)
print(w.sum().item())
for row in torch.arange(6.0).reshape(2, 3):
    print(row.tolist())
