import torch

# A write under no_grad is not tracked by autograd, but it still bumps the version.
w = torch.tensor([2.0, 3.0], requires_grad=True)
x = torch.tensor([1.0, 1.0])
h = w * x
p = h.pow(2)
with torch.no_grad():
    h *= 0.5
p.sum().backward()
