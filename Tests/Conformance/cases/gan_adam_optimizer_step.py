import torch
import torch.nn as nn

# The classic GAN mistake: the discriminator step updates its weights in place
# between two backward calls that both go through the same forward graph.
gen = nn.Linear(2, 2)
disc = nn.Linear(2, 1)
opt_g = torch.optim.Adam(gen.parameters(), lr=0.01)
opt_d = torch.optim.Adam(disc.parameters(), lr=0.01)

z = torch.randn(4, 2)
fake = gen(z)
d_out = disc(fake)
loss_d = d_out.mean()
loss_g = -d_out.mean()

opt_d.zero_grad()
loss_d.backward(retain_graph=True)
opt_d.step()

opt_g.zero_grad()
loss_g.backward()
opt_g.step()
