import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, width)
        self.bn = nn.BatchNorm1d(width)
        self.act = nn.ReLU(inplace=True)

    def forward(self, x):
        out = self.act(self.bn(self.fc(x)))
        out = out + x
        return out


torch.manual_seed(0)
model = nn.Sequential(Block(6), Block(6), nn.Linear(6, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
x = torch.randn(8, 6)
for step in range(3):
    opt.zero_grad()
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
