import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.fc = nn.Linear(width, width)
        self.bn = nn.BatchNorm1d(width)

    def forward(self, x):
        residual = x
        out = torch.relu(self.bn(self.fc(x)))
        out += residual
        return out


torch.manual_seed(0)
block = Block(6)
x = torch.randn(5, 6, requires_grad=True)
y = block(x)
print(block.bn.num_batches_tracked.item(), block.bn.running_mean._version)
y.pow(2).mean().backward()
