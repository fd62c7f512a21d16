import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    def forward(self, x):
        h = self.fc(x)
        return torch.sigmoid(h).exp_()


net = Net()
out = net(torch.ones(4, 3))
print(out.shape, out.grad_fn.name())
out.sum().backward()
