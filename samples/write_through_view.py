import torch

# v is a view of a: they share one version counter, so writing v invalidates a.
x = torch.ones(4, requires_grad=True)
a = x.exp()
v = a.view(2, 2)
v[0, 0] = 7.0
a.sum().backward()
