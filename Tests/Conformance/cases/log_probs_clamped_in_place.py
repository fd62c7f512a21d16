import torch
import torch.nn as nn
import torch.nn.functional as F


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Linear(5, 16)
        self.head = nn.Linear(16, 4)

    def forward(self, x):
        return self.head(torch.tanh(self.body(x)))


torch.manual_seed(7)
model = Classifier()
x = torch.randn(8, 5)
y = torch.tensor([0, 1, 2, 3, 3, 2, 1, 0])
log_probs = F.log_softmax(model(x), dim=1)
log_probs.clamp_(min=-3.0)
loss = F.nll_loss(log_probs, y)
print(f"{loss.item():.4f}", loss.grad_fn.name())
loss.backward()
