"""AdamW with foreach=True steps between a backward with retain_graph and the next backward:
its torch._foreach_* writes bump the saved weights, so the second backward fails."""

import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
opt = torch.optim.AdamW(model.parameters(), lr=1e-2, foreach=True)
x = torch.randn(16, 4)
loss = model(x).pow(2).mean()
print("loss", round(loss.item(), 4))
opt.zero_grad()
loss.backward(retain_graph=True)
opt.step()
loss.backward()
