# Forms real programs use that tapedeck once got wrong: each must behave as PyTorch 2.13 does.
import torch

g = torch.manual_seed(0)
print(type(g).__name__)

with torch.autograd.set_detect_anomaly(True):
    x = torch.ones(2, requires_grad=True)
    (x * 3).sum().backward()
print(x.grad)
torch.autograd.set_detect_anomaly(False)


@torch.no_grad
def doubled(t):
    return t * 2


@torch.enable_grad()
def tripled(t):
    return t * 3


a = torch.ones(2, requires_grad=True)
print(doubled(a).requires_grad, tripled(a).requires_grad)
print(torch.no_grad(lambda t: t + 1)(a).requires_grad)
with torch.no_grad():
    print((a * 2).requires_grad)

t = torch.Tensor([1, 2, 3])
print(t, t.dtype, t.requires_grad, torch.Tensor().shape, torch.Tensor([[1, 2], [3, 4]]).shape)

y = torch.arange(24.0).reshape(2, 3, 4).requires_grad_()
print(y.flatten().shape, y.flatten(1).shape, torch.flatten(y, 0, 1).shape)
print(y.flatten(start_dim=1, end_dim=2).shape, y.flatten(-2).shape, y.flatten(1, 1) is y)
print(y.flatten(1).grad_fn.name(), y.transpose(0, 1).flatten(1).grad_fn.name())
print(torch.tensor(3.0).flatten().shape)
try:
    y.flatten(2, 1)
except RuntimeError as e:
    print("RuntimeError", e)
try:
    y.flatten(5)
except IndexError as e:
    print("IndexError", e)
y.flatten(1).sum().backward()
print(y.grad.shape)

layer = torch.nn.Linear(3, 2, bias=False, device="cpu", dtype=torch.float32)
print(layer.weight.shape, layer.weight.dtype, layer.bias)
