import torch
import torch.nn as nn
import torch.nn.functional as F


class TwoLayer(nn.Module):
    def __init__(self, d_in, d_hidden, d_out, inplace=False):
        super(TwoLayer, self).__init__()
        self.l1 = nn.Linear(d_in, d_hidden)
        self.l2 = nn.Linear(d_hidden, d_out)
        self.inplace = inplace

    def forward(self, x):
        h = self.l1(x)
        h = F.relu(h, inplace=self.inplace)
        return self.l2(h)


def train(model, steps=3, lr=0.1):
    torch.manual_seed(1)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.full(p.shape, 0.1) if "weight" in name else torch.zeros(p.shape))
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    xs = torch.tensor([[1.0, -1.0], [2.0, 0.5], [0.0, 1.0]])
    ys = torch.tensor([[1.0], [0.0], [0.5]])
    losses = []
    for step in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(model(xs), ys)
        loss.backward()
        opt.step()
        losses.append(round(loss.item(), 5))
    return losses


print(train(TwoLayer(2, 3, 1)))
print(train(TwoLayer(2, 3, 1, inplace=True), steps=2, lr=0.05))
m = TwoLayer(2, 2, 1)
print(sum(p.numel() for p in m.parameters()), [p.shape[0] for p in m.parameters()])
print(m.l1.weight._version, m.l2.bias._version)
