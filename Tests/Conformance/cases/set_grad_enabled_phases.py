import torch
import torch.nn.functional as F

w = torch.ones(2, requires_grad=True)
for phase in ["train", "eval"]:
    with torch.set_grad_enabled(phase == "train"):
        y = w * 2
    print(phase, y.requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(False)
print((w * 2).requires_grad)
torch.set_grad_enabled(True)
print((w * 2).requires_grad)
h = w * 1
F.relu_(h)
print(h._version, h.grad_fn.name())
