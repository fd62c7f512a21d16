import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.dim = dim

    def forward(self, x):
        q, k, v = self.qkv(x).split(self.dim, dim=-1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.dim)
        probs = F.softmax(scores, dim=-1)
        for i in range(x.shape[0]):
            probs[i, i + 1:] = 0.0
        return self.proj(probs @ v)


torch.manual_seed(0)
block = CausalSelfAttention(4)
x = torch.randn(3, 4)
out = block(x)
print(out.shape, out.grad_fn.name())
loss = out.pow(2).mean()
print(f"loss {loss.item():.5f}")
loss.backward()
print(block.proj.weight.grad.shape)
