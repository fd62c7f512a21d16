import torch

x = torch.tensor([[1.0, -2.0], [3.0, 0.5]], requires_grad=True)
mask = x > 0
print(mask, mask.dtype, (x == 3.0).tolist(), (x != 1).sum().item())
print(torch.max(x, torch.zeros(2, 2)).tolist(), x.T.shape, x.permute(1, 0).tolist())
for row in x:
    print(row.grad_fn.name(), row.tolist())
print(x.float().dtype, x.double().dtype, x.long().tolist(), x.to(torch.float64).dtype)
rows = x.unbind(0)
print(len(rows), rows[1].tolist())
