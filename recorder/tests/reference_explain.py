"""A pure-Python reference diagnosis computed from a trace alone (no torch), used to cross-check
that a recorded tape carries what `tapedeck explain` needs.

Blame rule: take the first backward that failed on a node. The stale saved tensor is the slot
PyTorch reported (`bwend.slot`, the first one it unpacked), whose version counter, replayed from the
`bump` events before the failure, has moved past its saved version; the culprit is the in-place op
that first moved that counter past the saved version. When the slot is not stale but the node's
saved tensors were released by an earlier backward, that backward call is the culprit ("backward
through the graph a second time"). When no backward failed on a node, an in-place op that PyTorch
refused outright (a leaf that requires grad) is its own culprit.
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
    """The Culprit (with the blamed op or backward event) or None."""
    tensors = {}
    nodes = {}
    ops = {}
    saves = {}
    counters = {}
    bumps = []
    released_in = {}
    backwards = {}
    current = None
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
        elif kind in ("bump", "sync"):
            counters[event["vc"]] = event["to"]
            if kind == "bump":
                bumps.append((position, event))
        elif kind == "backward":
            backwards[event["b"]] = event
            current = event["b"]
        elif kind == "release" and current is not None:
            released_in.setdefault(event["n"], current)
        elif kind == "bwend" and event.get("fail") is not None:
            culprit = _blame(event, position, tensors, nodes, ops, saves, counters, bumps)
            if culprit is None and event["fail"] in released_in:
                culprit = Culprit(backwards[released_in[event["fail"]]], event.get("slot"),
                                  nodes[event["fail"]]["name"], event.get("msg"))
            return culprit
    for event in reversed(events):
        if event["k"] == "error" and "leaf Variable that requires grad" in event["msg"]:
            return Culprit(event, None, None, event["msg"])
    return None


def _blame(end, end_position, tensors, nodes, ops, saves, counters, bumps):
    stale = []
    for position, save in saves[end["fail"]]:
        vc = tensors[save["t"]]["vc"]
        if counters.get(vc, save["v"]) > save["v"]:
            stale.append((position, save, vc))
    reported = [s for s in stale if s[1]["slot"] == end.get("slot")] or stale
    if not reported:
        return None
    position, save, vc = reported[0]
    for bump_position, bump in bumps:
        if position < bump_position < end_position and bump["vc"] == vc and bump["to"] > save["v"]:
            return Culprit(ops[bump["op"]], save["slot"], nodes[end["fail"]]["name"], end.get("msg"))
    return None
