import torch
import torch.nn.functional as F

x = torch.tensor([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0], [2.0, 2.0, 2.0]], requires_grad=True)
t = torch.tensor([2, -100, 0])
loss = F.cross_entropy(x, t)
print(loss)
loss.backward()
print(x.grad)
none = torch.tensor([-100, -100, -100])
print(F.cross_entropy(x, none), F.cross_entropy(x, none, reduction="sum"), F.cross_entropy(x, t, reduction="none"))
print(F.nll_loss(F.log_softmax(x, dim=1), t, reduction="sum"))
