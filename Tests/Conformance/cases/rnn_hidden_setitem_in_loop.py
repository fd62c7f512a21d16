import torch

w_h = torch.tensor([[0.5, -0.2], [0.1, 0.3]], requires_grad=True)
w_x = torch.tensor([[1.0, 0.0], [0.0, 1.0]], requires_grad=True)
xs = [torch.tensor([[1.0, 2.0]]), torch.tensor([[0.5, -1.0]]), torch.tensor([[2.0, 0.0]])]
hidden = torch.zeros(1, 2)
outputs = []
for t, x in enumerate(xs):
    hidden = torch.tanh(hidden @ w_h + x @ w_x)
    outputs.append(hidden)
    print(t, [round(v, 4) for v in hidden[0].tolist()])
loss = torch.stack(outputs).sum()
loss.backward()
print([[round(v, 4) for v in row] for row in w_h.grad.tolist()])
h = torch.zeros(1, 2)
hs = []
for x in xs:
    h = torch.tanh(h @ w_h + x @ w_x)
    hs.append(h)
    h[0, 0] = 0.0
total = sum(o.sum() for o in hs)
total.backward()
