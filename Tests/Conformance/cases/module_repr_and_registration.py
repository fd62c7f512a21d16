import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self, hidden=4, act=None):
        super().__init__()
        self.fc1 = nn.Linear(2, hidden)
        self.act = act if act is not None else nn.ReLU()
        self.fc2 = nn.Linear(hidden, 1)
        self.register = []

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))

net = Net(hidden=3, act=nn.Tanh())
print(net)
print(nn.Sequential(nn.Linear(1, 2), nn.Sigmoid()))
print(nn.ReLU(inplace=True), nn.MSELoss(), nn.Linear(2, 2, bias=False))
print([n for n, _ in net.named_parameters()])
print(len(net.register), net.training, net.eval().training, net.train().training)
print(type(net).__name__, isinstance(net.fc1, nn.Module))
x = torch.ones(5, 2)
print(net(x).shape, net.fc1.weight.requires_grad, net.fc1.bias.is_leaf)
try:
    net.fc1.weight = torch.ones(3, 2)
except TypeError as e:
    print("TypeError:", e)
class Bad(nn.Module):
    def __init__(self):
        self.w = nn.Parameter(torch.ones(1))
try:
    Bad()
except AttributeError as e:
    print("AttributeError:", e)
class NoForward(nn.Module):
    pass
try:
    NoForward()(x)
except NotImplementedError as e:
    print("NotImplementedError:", e)
seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
print(len(seq), seq[-1], seq[0:2])
for layer in seq:
    print(type(layer).__name__)
p = nn.Parameter(torch.zeros(2))
print(p.requires_grad, p.is_leaf, isinstance(p, torch.Tensor), isinstance(p, nn.Parameter))
