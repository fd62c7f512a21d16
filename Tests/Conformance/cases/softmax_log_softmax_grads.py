import torch
import torch.nn.functional as F

logits = torch.tensor([[2.0, 1.0, 0.1]], requires_grad=True)
probs = F.softmax(logits, dim=1)
logp = F.log_softmax(logits, dim=1)
target = 0
loss = -logp[0, target]
print(round(loss.item(), 4), [round(p, 4) for p in probs[0].tolist()])
loss.backward()
print([round(g, 4) for g in logits.grad[0].tolist()])
probs.mul_(2)
print(probs._version, probs.grad_fn.name())
