import torch
import torch.nn as nn


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 1)

    def forward(self, x):
        h = torch.relu(self.fc1(x))
        h[:, 0] = 0
        return self.fc2(h)


torch.manual_seed(1)
model = MLP()
x = torch.randn(5, 4)
y = torch.randn(5, 1)
pred = model(x)
loss = nn.functional.mse_loss(pred, y)
print(pred.shape, loss.grad_fn.name())
loss.backward()
print(model.fc1.weight.grad.shape)
