import torch
x = torch.randn(3, requires_grad=True)
y = x.clone()
y[0] = 0
y = y * 2
y.sum().backward()
print(x.grad.tolist())
z = torch.zeros(2, 2)
z[0][1] = 5
print(z.tolist(), z._version)
print(z[0, 1].item() == 5.0, z.sum() == 5)
