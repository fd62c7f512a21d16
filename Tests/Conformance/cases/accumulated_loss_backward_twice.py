import torch

w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
batches = [torch.tensor([1.0, 2.0, 3.0]), torch.tensor([0.0, 1.0, -1.0]), torch.tensor([2.0, 0.5, 1.0])]
total = 0
for i, xb in enumerate(batches):
    loss = (w * xb).sum() ** 2
    total += loss
    print(i, type(total).__name__, total.grad_fn.name(), round(total.item(), 4))

total.backward(retain_graph=True)
print("first", w.grad.tolist())
total.backward(retain_graph=True)
print("second", w.grad.tolist())
loss.backward()
print("last batch again", w.grad.tolist())
total.backward()
print("third", w.grad.tolist(), w.grad._version)
