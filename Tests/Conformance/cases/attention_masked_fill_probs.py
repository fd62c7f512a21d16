import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class MaskedAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(dim, dim, bias=False)
        self.v = nn.Linear(dim, dim, bias=False)

    def forward(self, x):
        n = x.shape[0]
        future = torch.ones(n, n).triu(1) == 1
        scores = self.q(x) @ self.k(x).t() / math.sqrt(x.shape[1])
        scores = scores.masked_fill(future, float("-inf"))
        probs = F.softmax(scores, dim=-1)
        probs.masked_fill_(future, 0.0)
        return probs @ self.v(x)


torch.manual_seed(2)
attn = MaskedAttention(4)
x = torch.randn(3, 4)
out = attn(x)
print(out.grad_fn.name(), [round(v, 4) for v in out[0].tolist()])
out.sum().backward()
