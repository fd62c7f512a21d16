import torch

x = torch.arange(6.0).view(2, 3)
print(x.shape, x.sum(dim=0).tolist(), x.mean(1, keepdim=True).shape, x.max().item(), x.min(dim=1)[0].tolist())
v, i = x.max(dim=1)
print(v.tolist(), i.tolist())
print(x[0, 1].item(), x[:, -1].tolist(), x[1][::2].tolist(), x[..., 0].tolist(), x[None].shape)
print(torch.cat([x, x], dim=1).shape, torch.stack([x, x]).shape, torch.matmul(x, x.t()).tolist())
print(x.unsqueeze(0).shape, x.unsqueeze(-1).squeeze().shape, x.reshape(-1).shape, x.transpose(0, 1).shape)
print(torch.ones(2, 3).numel(), torch.zeros(3).dim(), torch.full((2, 2), 3).tolist(), torch.eye(3).sum().item())
print(x.softmax(dim=1).sum(dim=1).tolist(), [round(v, 4) for v in x.log_softmax(dim=0)[0].tolist()])
print(x.clamp(min=1.0, max=4.0).tolist(), x.clamp(2.0).tolist(), (x ** 2).tolist(), (2 ** x)[0].tolist())
print((1 - x)[0].tolist(), (1 / (x + 1))[0].tolist(), (-x).tolist(), x.abs().sqrt()[1].tolist())
print(int(x[1, 1]), float(x[0, 2]), len(x), x.size(1), x.size(-1), x.dtype, torch.arange(3).dtype)
for row in x:
    print(row.tolist())
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor(3.0, requires_grad=True)
c = (a * b).sum() + b ** 2
c.backward()
print(a.grad.tolist(), b.grad.item(), c.item())
with torch.no_grad():
    d = a * 2
print(d.requires_grad, torch.is_grad_enabled())
with torch.no_grad():
    with torch.enable_grad():
        e = a * 2
print(e.requires_grad)
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as err:
    print("RuntimeError:", err)
try:
    torch.ones(2) + torch.ones(3)
except RuntimeError as err:
    print("RuntimeError:", err)
try:
    x.view(4)
except RuntimeError as err:
    print("RuntimeError:", err)
try:
    x.sum(dim=2)
except IndexError as err:
    print("IndexError:", err)
try:
    bool(torch.ones(2))
except RuntimeError as err:
    print("RuntimeError:", err)
print(torch.tensor([[1, 2], [3, 4]]).tolist(), torch.tensor(2.5).item(), torch.tensor([True]).item())
print(f"{torch.tensor(3.14159).item():.2f}", f"{torch.tensor(1.5):.1f}")
t = torch.zeros(3)
t[1:] = torch.tensor([1.0, 2.0])
t[0] = 5
print(t.tolist(), t._version)
