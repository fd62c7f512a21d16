import torch
import torch.nn as nn

torch.manual_seed(0)
layer = nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, batch_first=True)
encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
head = nn.Linear(16, 3)
opt = torch.optim.Adam(list(encoder.parameters()) + list(head.parameters()), lr=1e-3)
tokens = torch.randn(2, 5, 16)
target = torch.tensor([0, 2])
hidden = encoder(tokens)
logits = head(hidden.mean(dim=1))
loss = nn.functional.cross_entropy(logits, target)
opt.zero_grad()
loss.backward()
opt.step()
print("loss", round(loss.item(), 4))
features = encoder(tokens)
scores = head(features[:, 0])
features[:, 0] *= 0.5
scores.sum().backward()
