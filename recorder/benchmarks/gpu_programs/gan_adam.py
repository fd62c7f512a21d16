import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"
torch.manual_seed(0)
gen = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 4)).to(device)
disc = nn.Sequential(nn.Linear(4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1)).to(device)
opt_g = torch.optim.Adam(gen.parameters(), lr=1e-3)
opt_d = torch.optim.Adam(disc.parameters(), lr=1e-3)
bce = nn.BCEWithLogitsLoss()
real = torch.randn(16, 4, device=device)
ones = torch.ones(16, 1, device=device)
zeros = torch.zeros(16, 1, device=device)
fake = gen(torch.randn(16, 4, device=device))
d_fake = disc(fake)
loss_d = bce(disc(real), ones) + bce(d_fake, zeros)
loss_g = bce(d_fake, ones)
opt_d.zero_grad()
loss_d.backward(retain_graph=True)
opt_d.step()
opt_g.zero_grad()
loss_g.backward()
opt_g.step()
