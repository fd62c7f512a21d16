"""StepWindow: keeps a long run's trace bounded by keeping only its last steps (`--keep-steps N`).

A **step** ends when an optimizer's `step()` returns (every `torch.optim.Optimizer`, through
PyTorch's global optimizer step hook). A program that has not called an optimizer step yet ends a
step at the end of each `backward()` (or `torch.autograd.grad`) call instead, so a loop of bare
backward calls is windowed too; the first optimizer step takes the step its backward call ended
back, so `backward(); optimizer.step()` is one step from the start.

The window keeps the step that is running when the recording stops and the `keep` complete steps
before it. Events of older steps are dropped as the run goes on, except what the kept events still
need: the `tensor`, `node`, `save`, `gradfn`, `values` and `bind` events of what is alive at the cut
(parameters, optimizer state, a graph that outlives its step), every `error` event (an exception a
dropped step caught must not vanish from the verdict), and each version counter's value at the cut.
A kept node whose saved tensors a dropped backward call freed is kept without its `save` events
(`_Carried._saves_of`), so a later backward through it reads as the freed graph PyTorch reports.
At the end the kept events are renumbered so ids stay dense, as docs/trace-format.md requires, and
the header's `dropped` field says what went: steps, events, errors and the counters' versions.

All of this runs at step boundaries and at the end, never per op: the recorder's hot path only
appends lines, as without a window.

**A run killed before its end** (SIGKILL, SIGTERM, a crash in torch) must still leave its kept steps
in `RUN.tdt.partial`, as a run without a window leaves its events there. Until the first step is
dropped the writer appends every line in chunks, as without a window (the file is then a whole
trace of the run so far). Once steps are dropped, appended lines would carry the recorder's ids, not
the renumbered ones, so the partial trace is instead rewritten whole at a step boundary: a
**checkpoint** of the kept steps (the trace `finish()` would give, without the running step and the
`exit` event), at most once every `CHECKPOINT_SECONDS` and never more often than
`1 / CHECKPOINT_SHARE` times its own cost, so checkpoints take at most that share of the run. A killed
run's partial trace therefore holds the window as it was at most a checkpoint interval before the
kill (on a run of quick steps, about a second), and no `exit` event, so tapedeck opens it as
incomplete.
"""

import json
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from . import schema
from .writer import TraceWriter

_loads = json.loads
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

# Id spaces and how each event kind uses them: (field, space, rule). `new` announces the next id of
# its space, `either` is a known id or a new one (a tensor's counter and storage), `ref` must be
# known (else the event cannot be kept), `opt` is dropped when unknown, `pairs` is a list of
# [id, number] pairs that must be known, `edges` a list of [id, number] or null (unknown -> null).
_RULES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "tensor": (("t", "t", "new"), ("vc", "vc", "either"), ("st", "st", "either"), ("base", "t", "opt")),
    "op": (("i", "i", "new"), ("in", "t", "pairs"), ("out", "t", "pairs")),
    "node": (("n", "n", "new"), ("op", "i", "opt"), ("next", "n", "edges"), ("var", "t", "opt")),
    "gradfn": (("t", "t", "ref"), ("n", "n", "opt")),
    "save": (("n", "n", "ref"), ("t", "t", "ref")),
    "bump": (("vc", "vc", "ref"), ("t", "t", "ref"), ("op", "i", "ref")),
    "values": (("t", "t", "ref"),),
    "bind": (("t", "t", "ref"),),
    "error": (("b", "b", "opt"),),
    "backward": (("b", "b", "new"), ("roots", "n", "pairs")),
    "run": (("b", "b", "ref"), ("n", "n", "ref")),
    "result": (("b", "b", "ref"), ("n", "n", "ref")),
    "release": (("n", "n", "ref"),),
    "bwend": (("b", "b", "ref"), ("fail", "n", "opt")),
    "sync": (("vc", "vc", "ref"), ("t", "t", "ref")),
}
_SPACES = ("t", "vc", "st", "n", "i", "b")
_ACCUMULATE_GRAD = "torch::autograd::AccumulateGrad"
_ACCUMULATE_NAME = ',"name":"%s",' % _ACCUMULATE_GRAD
CHECKPOINT_SECONDS = 1.0
"""The shortest time between two checkpoints of the partial trace."""
CHECKPOINT_SHARE = 0.05
"""The largest share of the run's time that checkpoints may take."""


class _Segment:
    """The lines of one step, the tensors alive when it started (what it may refer to), and the
    version counters' versions then (what the step before left them at)."""

    __slots__ = ("lines", "live", "versions")

    def __init__(self, lines: list[str], live: set[int], versions: dict[int, int]) -> None:
        self.lines = lines
        self.live = live
        self.versions = versions


class StepWindow:
    """Holds the events of the last `keep` steps in memory and folds older ones into `_Carried`."""

    def __init__(self, keep: int, header: dict[str, Any], live_tensors: Callable[[], set[int]],
                 versions: Callable[[], dict[int, int]]) -> None:
        if keep < 1:
            raise ValueError("keep_steps must be at least 1, got %d" % keep)
        self.keep = keep
        self._header = header
        self._live_tensors = live_tensors
        self._versions = versions
        self._segments: deque[_Segment] = deque()
        self._start_live: set[int] = set()
        self._start_versions: dict[int, int] = {}
        self._carried = _Carried()
        self._checkpoint_at = time.monotonic()
        self._checkpoint_cost = 0.0

    @property
    def dropped(self) -> bool:
        """Whether a step was dropped: the trace is then the window, renumbered, not every line."""
        return self._carried.steps > 0

    def checkpoint_due(self) -> bool:
        """Whether the partial trace should be rewritten now (at a step boundary): steps were dropped
        and the last checkpoint is long enough ago (see the module's docstring)."""
        if not self._carried.steps:
            return False
        wait = max(CHECKPOINT_SECONDS, self._checkpoint_cost / CHECKPOINT_SHARE)
        return time.monotonic() - self._checkpoint_at >= wait

    def checkpoint(self, write: Callable[[list[str]], None]) -> None:
        """Hands `write` the trace of the steps held now, header first and without an `exit` event
        (the partial trace), and times both for `checkpoint_due`."""
        start = time.monotonic()
        write(self.finish([]))
        self._checkpoint_at = time.monotonic()
        self._checkpoint_cost = self._checkpoint_at - start

    def take_step(self, writer: TraceWriter, rejoin: bool) -> None:
        """A step ended: takes its lines from `writer` (with `rejoin`, after those of the step before,
        taken back from the window) and rewrites the partial trace when a checkpoint is due."""
        lines = writer.take()
        if rejoin:
            lines = self.rejoin() + lines
        self.end_step(lines)
        if self.checkpoint_due():
            self.checkpoint(lambda kept: writer.rewrite(kept, False))

    def close(self, writer: TraceWriter) -> None:
        """Ends the trace: once steps were dropped, the kept steps, renumbered, replace `writer`'s
        last checkpoint as the finished trace; the writer then closes as without a window."""
        if self.dropped:
            writer.rewrite(self.finish(writer.take()), True)
        writer.close()

    def end_step(self, lines: list[str]) -> None:
        """The lines of a step that just ended; drops the oldest step once more than `keep` are held."""
        self._segments.append(_Segment(lines, self._start_live, self._start_versions))
        self._start_live = self._live_tensors()
        self._start_versions = self._versions()
        while len(self._segments) > self.keep:
            self._carried.fold(self._segments.popleft().lines, self._segments[0].versions)
            self._carried.prune(self._segments[0].live)

    def rejoin(self) -> list[str]:
        """Takes back the lines of the latest step, which is still in the window, to be merged into
        the running one (the first `optimizer.step()` after a backward call that ended a step)."""
        if not self._segments:
            return []
        segment = self._segments.pop()
        self._start_live = segment.live
        self._start_versions = segment.versions
        return segment.lines

    def finish(self, lines: list[str]) -> list[str]:
        """The whole trace, header first: `lines` are the events of the step running at the end."""
        window = [line for segment in self._segments for line in segment.lines] + lines
        carried = self._carried
        if not carried.steps:
            return [schema.header_of(self._header)] + window
        out, dropped = carried.renumber(window)
        header = dict(self._header)
        header["version"] = schema.WINDOW_VERSION
        header["dropped"] = dropped
        return [schema.header_of(header)] + out


_Def = tuple[int, str]
"""A definition line a dropped step left, with its place in the order of definitions: a tuple, which
the garbage collector stops tracking, where an object per line made every collection walk all of
them. `_Carried.event` parses it when the window needs its fields."""


def _int_after(line: str, start: int) -> int:
    """The integer that starts at `start` and ends at the next `,` or `}`."""
    end = line.find(",", start)
    return int(line[start:end if end >= 0 else -1])


class _Carried:
    """What dropped steps leave behind: definitions still needed, errors, and counter versions.

    Folding a dropped step reads only each line's kind and its own id from the schema's fixed
    templates (schema.py: every line starts `{"k":"KIND","ID":N`; a `bind` ends `"t":N,"line":N}`,
    an AccumulateGrad `node` `"var":N}`), never the whole JSON: most dropped
    lines are never needed again, and those that are get parsed once, when the window needs them.
    The counters' versions at the cut are the recorder's (its registry's, or the native core's),
    snapshot at each step boundary, so `op` and `bump` lines are not read at all."""

    def __init__(self) -> None:
        self.steps = 0
        self.events = 0
        self.order = 0
        self.tensors: dict[int, _Def] = {}
        self.nodes: dict[int, _Def] = {}
        self.accumulate: dict[int, int] = {}
        self.saves: dict[int, list[_Def]] = {}
        self.gradfns: dict[int, _Def] = {}
        self.values: dict[int, _Def] = {}
        self.binds: dict[str, tuple[_Def, int]] = {}
        self.errors: list[_Def] = []
        self.freed: set[int] = set()
        self.versions: dict[int, int] = {}
        self._parsed: dict[int, dict[str, Any]] = {}
        self._pruned_at = 0

    def fold(self, lines: list[str], versions: dict[int, int]) -> None:
        """Takes the definitions and errors out of a dropped step's lines; `versions` are the
        counters' versions at its end."""
        self.steps += 1
        self.events += len(lines)
        self.versions.update(versions)
        order = self.order
        tensors, nodes, saves, gradfns, values = self.tensors, self.nodes, self.saves, self.gradfns, self.values
        for line in lines:
            kind = line[6:line.index('"', 6)]
            if kind == "tensor":
                order += 1
                tensors[_int_after(line, 18)] = (order, line)
            elif kind == "node":
                order += 1
                nid = _int_after(line, 16)
                nodes[nid] = (order, line)
                saves[nid] = []
                if line.startswith(_ACCUMULATE_NAME, line.index(",", 16)):
                    self.accumulate[_int_after(line, line.rindex(',"var":') + 7)] = nid
            elif kind == "save":
                order += 1
                saves.setdefault(_int_after(line, 16), []).append((order, line))
            elif kind == "gradfn":
                order += 1
                gradfns[_int_after(line, 18)] = (order, line)
            elif kind == "values":
                order += 1
                values[_int_after(line, 18)] = (order, line)
            elif kind == "bind":
                order += 1
                at = line.rindex(',"t":')
                self.binds[line[19:at]] = ((order, line), _int_after(line, at + 5))
            elif kind == "error":
                order += 1
                self.errors.append((order, line))
            elif kind == "release":
                self.freed.add(_int_after(line, 19))
        self.order = order

    def prune(self, live: set[int]) -> None:
        """Forgets the definitions nothing after the cut can refer to: tensors dead at the cut and the
        nodes no live tensor reaches. Runs when the carried state has doubled since the last prune
        (and grown by 16,384 definitions: a few steps of a small model)."""
        size = len(self.tensors) + len(self.nodes)
        if size < 2 * self._pruned_at + 16384:
            return
        keep_t, keep_n = self.needed({t for t in live if t in self.tensors}, set())
        for table, keep in ((self.tensors, keep_t), (self.gradfns, keep_t), (self.values, keep_t),
                            (self.nodes, keep_n), (self.saves, keep_n)):
            for key in [key for key in table if key not in keep]:
                del table[key]
        self.accumulate = {tid: nid for tid, nid in self.accumulate.items() if nid in keep_n}
        self.freed &= keep_n
        self.binds = {name: entry for name, entry in self.binds.items() if entry[1] in keep_t}
        counters = {self.event(entry)["vc"] for entry in self.tensors.values()}
        self.versions = {vc: v for vc, v in self.versions.items() if vc in counters}
        kept = {entry[0] for table in (self.tensors, self.gradfns, self.values, self.nodes) for entry in table.values()}
        kept.update(save[0] for saves in self.saves.values() for save in saves)
        self._parsed = {order: event for order, event in self._parsed.items() if order in kept}
        self._pruned_at = len(self.tensors) + len(self.nodes)

    def event(self, definition: _Def) -> dict[str, Any]:
        """The fields of a carried definition, parsed once."""
        order, line = definition
        event = self._parsed.get(order)
        if event is None:
            event = self._parsed[order] = _loads(line)
        return event

    def needed(self, tensors: set[int], nodes: set[int]) -> tuple[set[int], set[int]]:
        """The carried tensors and nodes that `tensors` and `nodes` need: grad_fns and the graph below
        them, AccumulateGrad nodes of leaves, saved tensors, view bases."""
        accumulate = self.accumulate
        keep_t: set[int] = set()
        keep_n: set[int] = set()
        todo_t = list(tensors)
        todo_n = list(nodes)
        while todo_t or todo_n:
            while todo_t:
                tid = todo_t.pop()
                if tid in keep_t or tid not in self.tensors:
                    continue
                keep_t.add(tid)
                base = self.event(self.tensors[tid]).get("base")
                if base is not None:
                    todo_t.append(base)
                gradfn = self.gradfns.get(tid)
                if gradfn is not None and self.event(gradfn).get("n") is not None:
                    todo_n.append(self.event(gradfn)["n"])
                if tid in accumulate:
                    todo_n.append(accumulate[tid])
            while todo_n:
                nid = todo_n.pop()
                if nid in keep_n or nid not in self.nodes:
                    continue
                keep_n.add(nid)
                node = self.event(self.nodes[nid])
                for edge in node.get("next") or ():
                    if edge is not None:
                        todo_n.append(edge[0])
                if node.get("var") is not None:
                    todo_t.append(node["var"])
                for save in self._saves_of(nid):
                    todo_t.append(self.event(save)["t"])
        return keep_t, keep_n

    def _saves_of(self, nid: int) -> list[_Def]:
        """The `save` events the trace keeps for carried node `nid`: none once a dropped backward
        call freed its saved tensors (its `release` was dropped with that call, so the saves would
        read as still unpacked and, bumped since, blame a write instead of the second backward)."""
        if nid in self.freed:
            return []
        return self.saves.get(nid, [])

    def renumber(self, window: list[str]) -> tuple[list[str], dict[str, Any]]:
        """The carried definitions the window needs, then the window, with dense ids; and the
        header's `dropped` field."""
        events = [_loads(line) for line in window]
        wanted_t: set[int] = set()
        wanted_n: set[int] = set()
        for event in events:
            for field, space, rule in _RULES.get(event["k"], ()):
                value = event.get(field)
                if value is None:
                    continue
                ids = [value] if rule in ("new", "either", "ref", "opt") else [e[0] for e in value if e is not None]
                if space == "t":
                    wanted_t.update(ids)
                elif space == "n":
                    wanted_n.update(ids)
        keep_t, keep_n = self.needed(wanted_t, wanted_n)
        carried = [self.tensors[t] for t in keep_t] + [self.nodes[n] for n in keep_n]
        carried += [save for n in keep_n for save in self._saves_of(n)]
        carried += [self.gradfns[t] for t in keep_t if t in self.gradfns]
        carried += [self.values[t] for t in keep_t if t in self.values]
        carried += [entry for entry, tid in self.binds.values() if tid in keep_t]
        carried += self.errors
        carried.sort()
        renumber = _Renumbering()
        out = []
        unresolved = 0
        for event in [self.event(entry) for entry in carried] + events:
            line = renumber.rewrite(event)
            if line is None:
                unresolved += 1
            else:
                out.append(line)
        kept_counters = {self.event(self.tensors[t])["vc"] for t in keep_t}
        versions = sorted([renumber.ids["vc"][vc], v] for vc, v in self.versions.items()
                          if v > 0 and vc in kept_counters and vc in renumber.ids["vc"])
        dropped = {"steps": self.steps, "events": self.events + unresolved, "errors": len(self.errors),
                   "versions": versions}
        return out, dropped


class _Renumbering:
    """Maps the recorder's ids to dense ids in order of first appearance in the written trace."""

    def __init__(self) -> None:
        self.ids: dict[str, dict[int, int]] = {space: {} for space in _SPACES}

    def rewrite(self, event: dict[str, Any]) -> str | None:
        """The event's line with its ids renumbered, or None when it refers to something not kept."""
        rules = _RULES.get(event["k"])
        if rules is None:
            return _dumps(event)
        ids = self.ids
        updated = dict(event)
        for field, space, rule in rules:
            value = event.get(field)
            if value is None:
                continue
            table = ids[space]
            if rule == "new" or (rule == "either" and value not in table):
                table[value] = len(table)
                updated[field] = table[value]
            elif rule in ("either", "ref", "opt"):
                mapped = table.get(value)
                if mapped is None:
                    if rule == "ref":
                        return None
                    del updated[field]
                else:
                    updated[field] = mapped
            elif rule == "pairs":
                if any(pair[0] not in table for pair in value):
                    return None
                updated[field] = [[table[pair[0]], pair[1]] for pair in value]
            else:
                updated[field] = [None if edge is None or edge[0] not in table else [table[edge[0]], edge[1]]
                                  for edge in value]
        return _dumps(updated)
