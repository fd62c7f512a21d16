import torch

x = torch.tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 5.0]], requires_grad=True)
print(x.argmax(), x.argmax(dim=1), x.argmin(1, keepdim=True), torch.argmax(x, dim=0), x.argmax().requires_grad)
print(x.argmax(keepdim=True), x.argmin(dim=-1), torch.argmin(x))
try:
    torch.ones(0).argmax()
except Exception as e:
    print(type(e).__name__, e)
print(torch.tensor(3.0).argmax(), torch.tensor(3.0).argmax(0))
logits = torch.tensor([[0.1, 2.0, -1.0], [3.0, 3.0, 0.0]])
labels = torch.tensor([1, 0])
print((logits.argmax(dim=1) == labels).float().mean())
