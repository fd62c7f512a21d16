import torch

# Like multiple_stale_first_reported, but b is bumped twice so the message tells which saved
# tensor PyTorch reports: MulBackward0 unpacks `other` (b) before `self` (a).
x = torch.tensor([1.0, 2.0], requires_grad=True)
a = x.exp()
b = x.sin()
c = a * b
loss = c.sigmoid().sum()
a.add_(1)
b.add_(1)
b.add_(1)
loss.backward()
