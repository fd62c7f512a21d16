import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        residual = x
        out = torch.tanh(self.fc(x))
        out += residual
        return out

block = Block()
x = torch.randn(2, 3, requires_grad=True)
out = block(x)
out.sum().backward()
print(x.grad.shape)
