"""Per-rank trace files for distributed runs: torchrun starts one recorder per rank, each with RANK set."""

import os
from typing import Mapping


def rank_path(path: str, environ: Mapping[str, str] = os.environ) -> str:
    """`run.tdt` becomes `run.rank1.tdt` in the process torchrun started as rank 1, so ranks do not
    overwrite each other's trace; outside a distributed launch (no RANK) the path is unchanged."""
    rank = environ.get("RANK")
    if rank is None or not rank.isdigit():
        return path
    root, extension = os.path.splitext(path)
    return "%s.rank%d%s" % (root, int(rank), extension or ".tdt")
