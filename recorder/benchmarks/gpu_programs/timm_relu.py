import sys

import torch

try:
    import timm
except ImportError:
    print("skipped: timm is not installed")
    sys.exit(0)

device = "cuda" if torch.cuda.is_available() else "cpu"
torch.manual_seed(0)
model = timm.create_model("resnet18", pretrained=False, num_classes=10).to(device)
x = torch.randn(2, 3, 64, 64, device=device)
feats = model.forward_features(x)
feats.relu_()
out = model.forward_head(feats)
out.sum().backward()
