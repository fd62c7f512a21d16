import torch
import torch.nn as nn

model = nn.Linear(2, 1)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.5, -0.25]]))
    model.bias.fill_(0.1)
loss_fn = nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.05)
data = [(torch.tensor([[1.0, 2.0]]), torch.tensor([[1.0]])), (torch.tensor([[0.5, -1.0]]), torch.tensor([[0.0]]))]
history = []
for epoch in range(4):
    total = 0.0
    for xb, yb in data:
        opt.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        total += loss.item()
    history.append(total)
    print(f"epoch {epoch:02d} | loss {total:>10.6f} | w {model.weight[0, 0].item():+.4f} | {total:.3e}")
print(f"best={min(history):.5f} worst={max(history):.5f} n={len(history)}")
print([round(h, 3) for h in history])
print(model)
