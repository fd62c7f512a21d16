import torch
from torch import nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self, sizes, activation="relu", scale=1.0):
        super().__init__()
        self.layers = nn.Sequential(*[nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        self.activation = activation
        self.scale = nn.Parameter(torch.tensor(scale))

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = F.relu(x) if self.activation == "relu" else torch.tanh(x)
        return x * self.scale


torch.manual_seed(0)
model = MLP([3, 4, 2], activation="tanh", scale=2.0)
names = [name for name, p in model.named_parameters()]
print(names)
print([tuple(p.shape) for p in model.parameters()])
print(len(list(model.parameters())), model.layers[0].weight.shape, model.layers[1].bias.shape)
print(model.layers[0].weight._version, model.scale._version, model.scale.is_leaf)
with torch.no_grad():
    for p in model.parameters():
        p.fill_(0.5)
x = torch.ones(2, 3)
out = model(x)
print(out.shape, out.grad_fn.name())
loss = F.mse_loss(out, torch.zeros(2, 2))
loss.backward()
print(round(loss.item(), 4), model.scale.grad.item() > 0, model.layers[0].weight.grad.shape)
print(isinstance(model, nn.Module), isinstance(model.layers[0], nn.Linear), isinstance(x, torch.Tensor))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
opt.step()
opt.zero_grad()
print(model.scale.grad, model.scale._version, [round(v, 4) for v in model.layers[1].bias.tolist()])
