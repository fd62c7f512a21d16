import torch

torch.manual_seed(3)
x = torch.randn(8, 3)
true_w = torch.tensor([[1.5], [-2.0], [0.5]])
y = x @ true_w + 0.1

w = torch.zeros(3, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
lr = 0.1
for step in range(5):
    pred = x @ w + b
    loss = ((pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    print(step, f"{loss.item():.6f}", w._version, w.is_leaf, w.requires_grad)
    w.grad.zero_()
    b.grad = None
print(w.grad_fn, b.grad)
print([round(v, 4) for v in w.detach().flatten().tolist()])
