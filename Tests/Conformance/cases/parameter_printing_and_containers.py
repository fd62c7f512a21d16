import torch
import torch.nn as nn

torch.manual_seed(0)
p = nn.Parameter(torch.tensor([1.0, 2.0]))
print(p)
print(f"{p}")
lin = nn.Linear(2, 1)
with torch.no_grad():
    lin.weight.fill_(0.5)
    lin.bias.zero_()
print(lin.weight)
print(lin.bias.grad)
x = torch.tensor([[1.0, 2.0]])
out = lin(x)
print(out, out.grad_fn.name())
print(f"loss={out.sum()}")
print(f"{out.sum().item():.3f}")
print(x.dtype == torch.float32, x.dtype is torch.float, x.dtype != torch.float64)
print(list(x.shape), tuple(x.shape), x.shape == (1, 2), x.shape[-1])
layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
print(len(layers), len(list(layers.parameters())))
for i, layer in enumerate(layers):
    x = torch.relu(layer(x))
print(x.shape)
d = {"a": torch.ones(1), "b": torch.zeros(1)}
for k, v in d.items():
    print(k, v)
print(torch.tensor([1.0, 2.0]).detach().clone().requires_grad_())
print(torch.randn(2, 3).shape, torch.rand(2).shape)
