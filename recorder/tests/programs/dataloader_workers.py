import torch
from torch.utils.data import DataLoader, TensorDataset
ds = TensorDataset(torch.arange(40.0).reshape(20, 2))
dl = DataLoader(ds, batch_size=4, num_workers=2)
w = torch.ones(2, requires_grad=True)
total = 0
for (b,) in dl:
    total = total + (b * w).sum()
total.backward()
print(w.grad.tolist())
