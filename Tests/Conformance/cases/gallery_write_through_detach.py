import torch

# detach() shares storage and the version counter: the write is caught.
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.sigmoid()
d = y.detach()
d.zero_()
y.sum().backward()
