import torch
import torch.nn as nn


class Attention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.query = nn.Linear(dim, dim, bias=False)
        self.key = nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        q = self.query(x)
        k = self.key(x)
        scores = q @ k.t()
        weights = scores.softmax(dim=-1)
        weights[:, 0] = 0.0
        return weights @ x


torch.manual_seed(0)
att = Attention(3)
x = torch.ones(2, 3)
out = att(x)
print(out.shape, out.grad_fn.name())
out.sum().backward()
