"""A strict checker of docs/trace-format.md (versions 1.0 and 1.1), independent of the recorder's code.

`load_trace(path)` returns (header, events) and raises TraceError naming `FILE:LINE` and what was
expected when a line breaks the format: a missing or mistyped field, an id used before the event that
defines it, a non-dense id, an unknown kind the recorder is not allowed to write.
"""

import json

# Kinds tapedeck reads (docs/trace-format.md). The recorder also writes `sync` and
# `recorder_error` diagnostics, which the format tells readers to skip.
_SKIPPED_KINDS = {"sync", "recorder_error"}

_INT = "int"
_BOOL = "bool"
_STR = "str"
_INTS = "[int]"
_NUMS = "[number]"
_PAIRS = "[[int,int]]"
_SITE = {"line": _INT, "col": _INT, "end": _INT, "file": _STR, "frame": _STR}
_SITE_REQUIRED = {"line"}

# kind -> (required fields, optional fields)
_KINDS = {
    "tensor": ({"t": _INT, "vc": _INT, "st": _INT, "shape": _INTS, "dtype": _STR, "rg": _BOOL},
               {"base": _INT, "param": _BOOL, "val": _NUMS}),
    "op": (dict({"i": _INT, "name": _STR, "call": _STR, "grad": _BOOL, "in": _PAIRS, "out": _PAIRS}, line=_INT),
           {"col": _INT, "end": _INT, "file": _STR, "frame": _STR, "inplace": _BOOL, "view": _BOOL}),
    "node": ({"n": _INT, "name": _STR, "seq": _INT}, {"op": _INT, "next": "edges", "var": _INT}),
    "gradfn": ({"t": _INT, "nr": _INT, "rg": _BOOL, "v": _INT}, {"n": _INT}),
    "save": ({"n": _INT, "slot": _STR, "t": _INT, "v": _INT, "out": _BOOL, "nr": _INT, "shape": _INTS}, {}),
    "bump": ({"vc": _INT, "t": _INT, "from": _INT, "to": _INT, "op": _INT}, {}),
    "values": ({"t": _INT, "shape": _INTS, "val": _NUMS}, {}),
    "bind": ({"name": _STR, "t": _INT, "line": _INT}, {}),
    "print": ({"text": _STR}, {}),
    "error": ({"type": _STR, "msg": _STR, "line": _INT}, {"col": _INT, "end": _INT, "file": _STR, "frame": _STR,
                                                           "b": _INT}),
    "backward": ({"b": _INT, "roots": _PAIRS, "line": _INT, "retain": _BOOL},
                 {"col": _INT, "end": _INT, "file": _STR, "frame": _STR}),
    "run": ({"b": _INT, "n": _INT}, {"grads": "grads"}),
    "result": ({"b": _INT, "n": _INT}, {"grads": "grads"}),
    "release": ({"n": _INT}, {}),
    "bwend": ({"b": _INT}, {"fail": _INT, "slot": _STR, "msg": _STR}),
    "exit": ({"code": _INT}, {}),
}


class TraceError(AssertionError):
    pass


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _type_ok(value, kind):
    if kind == _INT:
        return _is_int(value)
    if kind == _BOOL:
        return isinstance(value, bool)
    if kind == _STR:
        return isinstance(value, str)
    if kind == _INTS:
        return isinstance(value, list) and all(_is_int(v) for v in value)
    if kind == _NUMS:
        return isinstance(value, list) and all(
            (isinstance(v, (int, float)) and not isinstance(v, bool)) or v in ("nan", "inf", "-inf") for v in value)
    if kind == _PAIRS:
        return isinstance(value, list) and all(
            isinstance(p, list) and len(p) == 2 and all(_is_int(v) for v in p) for p in value)
    if kind == "edges":
        return isinstance(value, list) and all(
            p is None or (isinstance(p, list) and len(p) == 2 and all(_is_int(v) for v in p)) for p in value)
    if kind == "grads":
        return isinstance(value, list) and all(
            g is None or (isinstance(g, dict) and _type_ok(g.get("shape", []), _INTS)
                          and _type_ok(g.get("val", []), _NUMS) and len(g.get("val", [])) <= 64
                          and _is_int(g.get("t", -1)))
            for g in value)
    raise ValueError(kind)


def load_trace(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()

    def fail(number, what):
        raise TraceError("%s:%d: %s" % (path, number, what))

    if not lines:
        fail(1, "expected the header line")
    try:
        header = json.loads(lines[0])
    except ValueError as e:
        fail(1, "expected a JSON object (%s)" % e)
    for field in ("format", "version", "producer", "path", "source"):
        if not isinstance(header.get(field), str):
            fail(1, "expected header field %r (string)" % field)
    if header["format"] != "tapedeck-trace":
        fail(1, "expected format 'tapedeck-trace'")
    if header["version"] not in ("1.0", "1.1"):
        fail(1, "expected version '1.0' or '1.1'")
    dropped = header.get("dropped")
    if (dropped is None) != (header["version"] == "1.0"):
        fail(1, "expected the 'dropped' field in a version 1.1 header, and only there")
    if dropped is not None:
        for field in ("steps", "events", "errors"):
            if not _is_int(dropped.get(field)) or dropped[field] < 0:
                fail(1, "dropped: expected a non-negative integer %r" % field)
        if not _type_ok(dropped.get("versions"), _PAIRS):
            fail(1, "dropped: expected 'versions' as [[counter, version], ...]")

    next_id = {"t": 0, "vc": 0, "st": 0, "n": 0, "i": 0, "b": 0}
    tensors, nodes, ops, backwards = set(), set(), set(), set()
    events = []
    for number, text in enumerate(lines[1:], start=2):
        try:
            event = json.loads(text)
        except ValueError as e:
            fail(number, "expected a JSON object (%s)" % e)
        if not isinstance(event, dict) or not isinstance(event.get("k"), str):
            fail(number, 'expected an object with a string "k"')
        kind = event["k"]
        if kind in _SKIPPED_KINDS:
            events.append(event)
            continue
        if kind not in _KINDS:
            fail(number, "unknown event kind %r" % kind)
        required, optional = _KINDS[kind]
        for field, ftype in required.items():
            if field not in event:
                fail(number, "%s event: missing field %r" % (kind, field))
            if not _type_ok(event[field], ftype):
                fail(number, "%s event: field %r should be %s, got %r" % (kind, field, ftype, event[field]))
        for field, ftype in optional.items():
            if event.get(field) is not None and not _type_ok(event[field], ftype):
                fail(number, "%s event: field %r should be %s, got %r" % (kind, field, ftype, event[field]))

        def use(ids, value, what):
            if value not in ids:
                fail(number, "%s event: %s %d used before it is defined" % (kind, what, value))

        def dense(space, value):
            if value != next_id[space]:
                fail(number, "%s event: expected %s id %d (dense, in order), got %d" % (
                    kind, space, next_id[space], value))
            next_id[space] += 1

        if kind == "tensor":
            dense("t", event["t"])
            tensors.add(event["t"])
            for space in ("vc", "st"):
                if event[space] > next_id[space]:
                    fail(number, "tensor event: %s id %d skips %d" % (space, event[space], next_id[space]))
                if event[space] == next_id[space]:
                    next_id[space] += 1
            if event.get("base") is not None:
                use(tensors, event["base"], "tensor")
            if event.get("val") is not None and len(event["val"]) > 64:
                fail(number, "tensor event: more than 64 values")
        elif kind == "op":
            dense("i", event["i"])
            ops.add(event["i"])
            for t, _ in event["in"] + event["out"]:
                use(tensors, t, "tensor")
        elif kind == "node":
            dense("n", event["n"])
            for edge in event.get("next") or []:
                if edge is not None:
                    use(nodes, edge[0], "node")
            if event.get("var") is not None:
                use(tensors, event["var"], "tensor")
            nodes.add(event["n"])
        elif kind in ("gradfn", "save", "values", "bind"):
            use(tensors, event["t"], "tensor")
            if event.get("n") is not None:
                use(nodes, event["n"], "node")
        elif kind == "bump":
            use(tensors, event["t"], "tensor")
            use(ops, event["op"], "op")
            if event["to"] < event["from"]:
                fail(number, "bump event: 'to' must not be below 'from' (equal: a write that moved no counter)")
        elif kind == "backward":
            dense("b", event["b"])
            backwards.add(event["b"])
            for n, _ in event["roots"]:
                use(nodes, n, "node")
        elif kind in ("run", "result"):
            use(backwards, event["b"], "backward")
            use(nodes, event["n"], "node")
        elif kind == "release":
            use(nodes, event["n"], "node")
        elif kind == "bwend":
            use(backwards, event["b"], "backward")
            if event.get("fail") is not None:
                use(nodes, event["fail"], "node")
        elif kind == "error" and event.get("b") is not None:
            use(backwards, event["b"], "backward")
        events.append(event)
    for counter, version in (dropped or {}).get("versions", []):
        if counter >= next_id["vc"] or version < 1:
            fail(1, "dropped: version %d of counter %d, which no tensor event announces" % (version, counter))
    return header, events
