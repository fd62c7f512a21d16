import torch

# sigmoid saves its own output for backward; mul_ then overwrites that output.
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
w = x * 1
y = w.sigmoid()
y.mul_(2)
y.sum().backward()
print(x.grad)
