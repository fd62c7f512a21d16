import sys

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("gloo")
torch.manual_seed(0)
model = DDP(nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4)), broadcast_buffers=True)
x = torch.randn(8, 4)
a = model(x)
b = model(x)
(a.sum() + b.sum()).backward()
# One write per rank: both ranks share the pipe, and print() writes its pieces one by one.
sys.stdout.write("rank %d done\n" % dist.get_rank())
sys.stdout.flush()
dist.destroy_process_group()
