import torch
import torch.nn as nn

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device, repr(device), device == "cpu")
model = nn.Linear(2, 1).to(device)
x = torch.ones(3, 2, device=device)
y = torch.zeros(3, 1).to(device)
print(x.device, x.to(device) is x, x.cpu() is x, x.to(torch.float64).dtype, x.to(device, torch.float64).dtype)
print(model(x).shape, isinstance(model, nn.Linear))
try:
    torch.ones(2).cuda()
except Exception as e:
    print(type(e).__name__, e)
