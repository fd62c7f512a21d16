import sys

import torch

try:
    from transformers import BertConfig, BertForSequenceClassification
except ImportError:
    print("skipped: transformers is not installed")
    sys.exit(0)

device = "cuda" if torch.cuda.is_available() else "cpu"
torch.manual_seed(0)
config = BertConfig(vocab_size=512, hidden_size=64, num_hidden_layers=2, num_attention_heads=4,
                    intermediate_size=128, num_labels=3)
model = BertForSequenceClassification(config).to(device)
ids = torch.randint(0, 512, (4, 16), device=device)
logits = model(input_ids=ids).logits
probs = logits.softmax(-1)
probs[:, 0] = 0
probs.sum().backward()
