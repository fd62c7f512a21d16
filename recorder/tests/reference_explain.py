"""A pure-Python reference diagnosis computed from a trace alone (no torch), used to cross-check
that a recorded tape carries what `tapedeck explain` needs.

Blame rule: take the first backward that failed on a node; each saved tensor of that node whose
version counter, replayed from the `bump` events before the failure, has moved past its saved
version is stale; the culprit is the earliest in-place op (in tape order) that moved a stale
tensor's counter past its saved version. When no backward failed on a node, an in-place op that
PyTorch refused outright (a leaf that requires grad) is its own culprit.
"""


class Culprit:
    def __init__(self, op, slot, node_name, message):
        self.op = op
        self.slot = slot
        self.node_name = node_name
        self.message = message

    @property
    def line(self):
        return self.op["line"]


def explain(events):
    """The Culprit (with the blamed op event) or None."""
    tensors = {}
    nodes = {}
    ops = {}
    saves = {}
    counters = {}
    bumps = []
    for position, event in enumerate(events):
        kind = event["k"]
        if kind == "tensor":
            tensors[event["t"]] = event
        elif kind == "node":
            nodes[event["n"]] = event
            saves[event["n"]] = []
        elif kind == "op":
            ops[event["i"]] = event
        elif kind == "save":
            saves[event["n"]].append((position, event))
        elif kind == "bump":
            counters[event["vc"]] = event["to"]
            bumps.append((position, event))
        elif kind == "sync":
            counters[event["vc"]] = event["to"]
        elif kind == "bwend" and event.get("fail") is not None:
            return _blame(event, position, tensors, nodes, ops, saves, counters, bumps)
    for event in reversed(events):
        if event["k"] == "error" and "leaf Variable that requires grad" in event["msg"]:
            return Culprit(event, None, None, event["msg"])
    return None


def _blame(end, end_position, tensors, nodes, ops, saves, counters, bumps):
    best = None
    for position, save in saves[end["fail"]]:
        vc = tensors[save["t"]]["vc"]
        if counters.get(vc, save["v"]) <= save["v"]:
            continue
        for bump_position, bump in bumps:
            if position < bump_position < end_position and bump["vc"] == vc and bump["to"] > save["v"]:
                if best is None or bump_position < best[0]:
                    best = (bump_position, bump, save)
                break
    if best is None:
        return None
    _, bump, save = best
    return Culprit(ops[bump["op"]], save["slot"], nodes[end["fail"]]["name"], end.get("msg"))
