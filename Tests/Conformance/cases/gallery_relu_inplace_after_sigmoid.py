import torch
import torch.nn as nn

# ReLU(inplace=True) writes into the sigmoid output that SigmoidBackward0 saved.
model = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.ReLU(inplace=True))
x = torch.tensor([[1.0, -1.0], [0.5, 2.0]])
out = model(x)
out.sum().backward()
print(model[0].weight.grad)
