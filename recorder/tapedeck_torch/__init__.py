"""tapedeck_torch: record a real PyTorch program into a tapedeck trace.

    python3 -m tapedeck_torch train.py [args] -o run.tdt

    with tapedeck_torch.record("run.tdt"):
        ...
"""

from .recording import record

__version__ = "0.1.0"
__all__ = ["record", "__version__"]
