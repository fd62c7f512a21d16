import torch
import torch.nn as nn

torch.manual_seed(0)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2))

    def forward(self, z):
        return self.net(z)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())

    def forward(self, x):
        return self.net(x)


G, D = Generator(), Discriminator()
opt_g = torch.optim.SGD(G.parameters(), lr=0.01)
opt_d = torch.optim.SGD(D.parameters(), lr=0.01)
real = torch.ones(4, 2)
z = torch.zeros(4, 2)
for step in range(2):
    fake = G(z)
    d_real = D(real)
    d_fake = D(fake.detach())
    loss_d = -(d_real.log().mean() + (1 - d_fake).log().mean())
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()
    g_out = D(fake)
    loss_g = -g_out.log().mean()
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    print(f"step {step}: D {loss_d.item():.4f} G {loss_g.item():.4f}")
fake = G(z)
score = D(fake)
opt_d.step()
score.mean().backward()
