"""The trace's event schema (docs/trace-format.md, version 1.1): one function per event kind, each
returning the event's JSON line. Every event the recorder writes is built here, so the fields of a
kind are named in one place.

These run per op on the recorder's hot path, so they format with `%` into fixed templates rather than
building dictionaries for `json.dumps`. Arguments are already-encoded where they say so: a `call`
or `name` that is a JSON string literal (from `js`), a `site` that is the call-site fragment from
`CallSites` (`"line":3,"col":5,"end":9`), and previews that are JSON arrays (`number_list`).
"""

import json
from collections.abc import Iterable

FORMAT_VERSION = "1.0"
"""The version of a trace that uses nothing newer than 1.0: every trace without a window."""
WINDOW_VERSION = "1.1"
"""The version that adds the header's `dropped` field, written only by a trace that dropped steps
(`--keep-steps`), so every other trace stays byte-for-byte what a 1.0 reader expects."""

_dumps = json.dumps


def js(text: str) -> str:
    """A JSON string literal for `text` (control characters escaped)."""
    return _dumps(text)


_NAMES: dict[str, str] = {}


def js_name(name: str) -> str:
    """`js(name)` for a name the recorder writes again and again (a grad_fn or slot name, a call's
    spelling, a library frame, a variable): memoized, as the set of such names is small."""
    literal = _NAMES.get(name)
    if literal is None:
        literal = _NAMES[name] = _dumps(name)
    return literal


def _bool(value: bool) -> str:
    return "true" if value else "false"


def pairs(values: Iterable[tuple[int, int]]) -> str:
    """`[[a,b],...]`: the tensor/version and node/output_nr lists of `op` and `backward` events."""
    return "[" + ",".join(["[%d,%d]" % pair for pair in values]) + "]"


def site(line: int, col: int = 0, end: int = 0) -> str:
    """The call-site fields shared by `op`, `error` and `backward`: `line`, and `col`/`end` when known
    (1-based, `end` one past the last column). `site_file` and `site_frame` append to it."""
    if col:
        return '"line":%d,"col":%d,"end":%d' % (line, col, end)
    return '"line":%d' % line


def site_file(filename: str) -> str:
    """The `file` field of a call site in another file than the recorded program."""
    return ',"file":' + js(filename)


def site_frame(name: str) -> str:
    """The `frame` field: the library function the op ran inside (`Adam.step`)."""
    return ',"frame":' + js_name(name)


def header_fields(program_path: str, source: str, producer: str) -> dict[str, str]:
    """The first line's fields: format, version, the recorded program and its source."""
    return {"format": "tapedeck-trace", "version": FORMAT_VERSION, "producer": producer, "path": program_path,
            "source": source}


_last_header: tuple[tuple[tuple[str, object], ...], str] | None = None
"""The fields and the line of the last header of plain strings (`header_fields`) encoded."""


def header_of(fields: dict[str, object]) -> str:
    """The header line of `header_fields`, plus `dropped` (version 1.1) when a window dropped steps:
    `{"steps":N,"events":N,"errors":N,"versions":[[vc,version],...]}`. A program that records each
    step anew writes the same header every time, and encoding its source costs more than comparing
    it (80–90 µs against 3 µs for a 13 KB program), so the last line of plain strings is kept."""
    global _last_header
    key = tuple(fields.items())
    if _last_header is not None and _last_header[0] == key:
        return _last_header[1]
    line = _dumps(fields, ensure_ascii=False)
    if all(isinstance(value, str) for value in fields.values()):
        _last_header = (key, line)
    return line


def header(program_path: str, source: str, producer: str) -> str:
    """The first line: format, version, the recorded program and its source."""
    return header_of(header_fields(program_path, source, producer))


def tensor(tid: int, vc: int, st: int, shape: str, dtype: str, requires_grad: bool, base: int | None,
           is_param: bool, values: str | None) -> str:
    """A tensor's first sight: its version counter, storage, shape (a JSON array), view base and
    value preview."""
    line = '{"k":"tensor","t":%d,"vc":%d,"st":%d,"shape":%s,"dtype":"%s","rg":%s' % (
        tid, vc, st, shape, dtype, _bool(requires_grad))
    if base is not None:
        line += ',"base":%d' % base
    if is_param:
        line += ',"param":true'
    if values is not None:
        line += ',"val":' + values
    return line + "}"


def op(index: int, name: str, call: str, site: str, grad: bool, inputs: str, outputs: str, inplace: bool,
       view: bool) -> str:
    """One aten op: its overload `name` and Python `call` (JSON literals), call site, grad mode, and the
    `[tensor,version]` pairs it read and produced."""
    line = '{"k":"op","i":%d,"name":%s,"call":%s,%s,"grad":%s,"in":%s,"out":%s' % (
        index, name, call, site, _bool(grad), inputs, outputs)
    if inplace:
        line += ',"inplace":true'
    if view:
        line += ',"view":true'
    return line + "}"


def bump(vc: int, tid: int, before: int, after: int, op_index: int) -> str:
    """Op `op_index` moved version counter `vc` (written through tensor `tid`) from `before` to `after`."""
    return '{"k":"bump","vc":%d,"t":%d,"from":%d,"to":%d,"op":%d}' % (vc, tid, before, after, op_index)


def sync(vc: int, tid: int, before: int, after: int) -> str:
    """A version change the recorder did not see happen (a diagnostic readers skip)."""
    return '{"k":"sync","vc":%d,"t":%d,"from":%d,"to":%d}' % (vc, tid, before, after)


def values(tid: int, shape: str, preview: str) -> str:
    """Tensor `tid`'s values after an in-place write."""
    return '{"k":"values","t":%d,"shape":%s,"val":%s}' % (tid, shape, preview)


def node(nid: int, name: str, seq: int, op_index: int | None, edges: list[str], variable: int | None) -> str:
    """A grad_fn node: its `name` (a JSON literal), sequence number, creating op, `next_functions`
    edges (`[n,nr]` or `null` each) and, for AccumulateGrad, the leaf tensor."""
    line = '{"k":"node","n":%d,"name":%s,"seq":%d' % (nid, name, seq)
    if op_index is not None:
        line += ',"op":%d' % op_index
    line += ',"next":[' + ",".join(edges) + "]"
    if variable is not None:
        line += ',"var":%d' % variable
    return line + "}"


def save(nid: int, slot: str, tid: int, version: int, is_output: bool, output_nr: int, shape: str) -> str:
    """A saved tensor of node `nid`: its slot (a JSON literal), tensor, saved_version and shape."""
    return '{"k":"save","n":%d,"slot":%s,"t":%d,"v":%d,"out":%s,"nr":%d,"shape":%s}' % (
        nid, slot, tid, version, _bool(is_output), output_nr, shape)


def gradfn(tid: int, nid: int, output_nr: int, requires_grad: bool, version: int) -> str:
    """Tensor `tid`'s grad_fn became node `nid`."""
    return '{"k":"gradfn","t":%d,"n":%d,"nr":%d,"rg":%s,"v":%d}' % (
        tid, nid, output_nr, _bool(requires_grad), version)


def bind(name: str, tid: int, line: int) -> str:
    """The program's variable `name` holds tensor `tid` from `line` on."""
    return '{"k":"bind","name":%s,"t":%d,"line":%d}' % (js_name(name), tid, line)


def printed(text: str) -> str:
    """Text the program wrote to stdout."""
    return '{"k":"print","text":' + js(text) + "}"


def error(kind: str, message: str, site: str, backward: int | None) -> str:
    """The exception that reached the program, raised at `site` (in backward call `backward`)."""
    line = '{"k":"error","type":%s,"msg":%s,%s' % (js(kind), js(message), site)
    if backward is not None:
        line += ',"b":%d' % backward
    return line + "}"


def backward(bid: int, roots: str, site: str, retain: bool) -> str:
    """A backward call from `roots` (`[[n,nr],...]`) at `site`."""
    return '{"k":"backward","b":%d,"roots":%s,%s,"retain":%s}' % (bid, roots, site, _bool(retain))


def run(bid: int, nid: int, grads: list[str]) -> str:
    """Backward call `bid` is about to run node `nid` with these incoming gradients (`null` or
    `{"shape":[...],"val":[...]}` each)."""
    return '{"k":"run","b":%d,"n":%d,"grads":[%s]}' % (bid, nid, ",".join(grads))


def gradient(shape: str, preview: str | None) -> str:
    """One incoming gradient of a `run` event."""
    if preview is None:
        return '{"shape":%s}' % shape
    return '{"shape":%s,"val":%s}' % (shape, preview)


def release(nid: int) -> str:
    """Node `nid` ran without retain_graph: its saved tensors are freed."""
    return '{"k":"release","n":%d}' % nid


def backward_end(bid: int, failed: int | None, slot: str | None, message: str | None) -> str:
    """Backward call `bid` finished, or failed in node `failed` (at saved `slot`) with `message`."""
    line = '{"k":"bwend","b":%d' % bid
    if message is None:
        return line + "}"
    if failed is not None:
        line += ',"fail":%d' % failed
        if slot is not None:
            line += ',"slot":' + js(slot)
    return line + ',"msg":%s}' % js(message)


def exit_code(code: int) -> str:
    """The program ended with this exit status."""
    return '{"k":"exit","code":%d}' % code


def recorder_error(where: str, message: str) -> str:
    """The recorder's own failure (a diagnostic readers skip); the program ran on unaffected."""
    return '{"k":"recorder_error","where":%s,"msg":%s}' % (js(where), js(message))
