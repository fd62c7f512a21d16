import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.tensor([[1.0, 2.0]])
y = torch.tensor([[1.0]])
pred = model(x)
loss = (pred - y) ** 2
opt.zero_grad()
loss.backward(retain_graph=True)
opt.step()
loss2 = loss * 2
loss2.backward()
