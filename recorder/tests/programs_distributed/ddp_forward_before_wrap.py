import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("gloo")
torch.manual_seed(dist.get_rank())
net = nn.Sequential(nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 1))
x = torch.randn(8, 4)
warm = net(x).sum()
model = DDP(net)
loss = model(x).sum()
(warm + loss).backward()
dist.destroy_process_group()
