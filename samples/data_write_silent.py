import torch

# .data shares storage but NOT the version counter: PyTorch raises nothing,
# and the gradient is silently wrong (it should be sigmoid'(x), all non-zero).
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x.sigmoid()
y.data.zero_()
y.sum().backward()
print(x.grad)
