import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)
x = torch.randn(6, 4)
labels = torch.tensor([0, 2, 1, 2, 0, 1])
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
criterion = nn.CrossEntropyLoss()
print(criterion)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(4):
    opt.zero_grad()
    logits = model(x)
    loss = criterion(logits, labels)
    loss.backward()
    opt.step()
    predicted = logits.max(dim=1).indices
    correct = (predicted == labels).sum().item()
    print(epoch, f"{loss.item():.5f}", correct, loss.grad_fn.name(), loss.grad_fn.next_functions[0][0].name())
first, second = model[0].weight.grad.chunk(2, dim=0)
print(first.shape, second.shape, first.grad_fn)
per_sample = F.cross_entropy(model(x), labels, reduction="none")
print(per_sample.shape, per_sample.grad_fn.name())
summed = F.nll_loss(F.log_softmax(model(x), dim=1), labels, reduction="sum")
print(f"{summed.item():.4f}", f"{per_sample.sum().item():.4f}")
for bad in [torch.tensor([0, 3, 1, 2, 0, 1]), torch.tensor([0.0, 1, 1, 2, 0, 1]), torch.tensor([0, 1])]:
    try:
        F.cross_entropy(model(x), bad)
    except Exception as e:
        print(type(e).__name__, e)
