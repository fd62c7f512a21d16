import torch
import torch.nn as nn

torch.manual_seed(11)
x = torch.randn(6, 3)
y = torch.randn(6, 1)
for kwargs in [dict(lr=0.1, weight_decay=0.01), dict(lr=0.05, momentum=0.9, dampening=0.1),
               dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3)]:
    torch.manual_seed(0)
    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), **kwargs)
    for step in range(3):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        print(step, f"{loss.item():.6f}", model.weight._version)
    print([round(v, 5) for v in model.weight.flatten().tolist()], round(model.bias.item(), 5))
print(opt)
opt.param_groups[0]["weight_decay"] = 0.5
opt.step()
print([round(v, 5) for v in model.weight.flatten().tolist()])
for bad in [dict(lr=0.1, weight_decay=-1), dict(lr=0.1, nesterov=True), dict(lr=0.1, momentum=0.5, dampening=0.1, nesterov=True)]:
    try:
        torch.optim.SGD(model.parameters(), **bad)
    except Exception as e:
        print(type(e).__name__, e)
