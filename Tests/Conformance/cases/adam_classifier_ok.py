import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(12)
x = torch.randn(20, 4)
labels = torch.tensor([0, 1, 2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 1, 2, 2, 1, 0, 1, 2])
model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
opt = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)
print(opt)
for epoch in range(6):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), labels)
    loss.backward()
    opt.step()
    print(epoch, f"{loss.item():.6f}", model[0].weight._version)
print([round(v, 6) for v in model[2].bias.tolist()])
opt.param_groups[0]["lr"] = 0.1
opt.param_groups[0]["betas"] = (0.5, 0.9)
opt.step()
print([round(v, 6) for v in model[2].bias.tolist()])
p = [torch.ones(1, requires_grad=True)]
for kwargs in [dict(lr=-1), dict(eps=-1), dict(betas=(1.0, 0.9)), dict(betas=(0.9, -0.1)), dict(weight_decay=-1)]:
    try:
        torch.optim.Adam(p, **kwargs)
    except Exception as e:
        print(type(e).__name__, e)
