import torch
import torch.nn as nn


class Gate(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.proj = nn.Linear(features, features)

    def forward(self, x):
        gate = torch.sigmoid(self.proj(x))
        gate[:, 0] = 1.0
        return x * gate


torch.manual_seed(3)
layer = Gate(3)
inp = torch.randn(2, 3)
out = layer(inp)
print(out.shape, out.grad_fn.name())
loss = out.pow(2).mean()
loss.backward()
