import torch

device = "cuda" if torch.cuda.is_available() else "cpu"
a = torch.randn(1024, device=device, requires_grad=True) * 1
y = a * a
a += 1
y.sum().backward()
