"""TensorRegistry: tensor, version-counter and storage identities for the trace."""

import weakref

import torch

from . import previews, schema
from .writer import TraceWriter, int_list, number_array

_Tensor = torch.Tensor
_ref = weakref.ref
_Parameter = torch.nn.Parameter
_VALUE_DTYPES = {torch.float16, torch.bfloat16, torch.float32, torch.float64, torch.int8, torch.int16,
                 torch.int32, torch.int64, torch.uint8, torch.bool}


class TensorInfo:
    """What the recorder knows about one live tensor."""

    __slots__ = ("tid", "vc", "st", "node", "ref")

    def __init__(self, tid: int, vc: int, st: int, ref: weakref.ref) -> None:
        self.tid = tid
        self.vc = vc
        self.st = st
        self.node: int | None = None
        self.ref = ref


class TensorRegistry:
    """Gives every tensor the recorder sees a dense id and decides which version counter (`vc`) and
    storage (`st`) it shares, emitting its `tensor` event on first sight.

    Identity is `id(t)` validated by a weak reference, so nothing is stamped on the program's tensors
    and a reused `id()` is never confused with a dead tensor. Sharing follows PyTorch's rules, applied
    where the tensor is produced: views (`_base`) and `detach()`/aliases share the counter and the
    storage of their source, `.data` shares only the storage, everything else gets fresh ones. A tensor
    first met without provenance gets a fresh counter and the storage of any live tensor on the same
    memory; when that tensor is a live one at the same address and version, the newcomer is taken
    to share its counter too (`nn.Parameter(t)` and other detach-like wrappers do). `versions`
    models each counter's value as bumps are recorded.
    """

    def __init__(self, writer: TraceWriter, value_limit: int) -> None:
        self._writer = writer
        self._value_limit = value_limit
        self.previews = previews.DevicePreviews()
        writer.previews = self.previews
        self._live: dict[int, TensorInfo] = {}
        self._sweep_at = 4096
        self._storages: dict[int, tuple[int, weakref.ref]] = {}
        self.versions: dict[int, int] = {}
        self._next_tensor = 0
        self._next_counter = 0
        self._next_storage = 0

    def info(self, t: torch.Tensor) -> TensorInfo | None:
        """The TensorInfo of a registered tensor, or None."""
        entry = self._live.get(id(t))
        if entry is not None and entry.ref() is t:
            return entry
        return None

    def tid(self, t: torch.Tensor) -> int | None:
        """The id of a registered tensor, or None."""
        entry = self.info(t)
        return entry.tid if entry is not None else None

    def get(self, t: torch.Tensor) -> TensorInfo:
        """The TensorInfo of `t`, registering it on first sight (with its current version)."""
        entry = self._live.get(id(t))
        if entry is not None and entry.ref() is t:
            return entry
        return self.register(t, None, None, t._version)

    def live_ids(self) -> set[int]:
        """The ids of the registered tensors that are still alive."""
        return {entry.tid for entry in self._live.values() if entry.ref() is not None}

    def new_counter(self, version: int) -> int:
        vc = self._next_counter
        self._next_counter += 1
        self.versions[vc] = version
        return vc

    def register(self, t: torch.Tensor, vc: int | None, st: int | None, version: int) -> TensorInfo:
        """Emits the `tensor` event for `t`. `vc`/`st` None mean: derive them (view base, or fresh).
        `version` starts a fresh counter's model value."""
        base = None
        if t._is_view():
            root = t._base
            base_info = self.get(root)
            base = base_info.tid
            vc = base_info.vc
            st = base_info.st
        if vc is None and st is None:
            st, twin = self._storage_of(t)
            if twin is not None and twin.data_ptr() == t.data_ptr() and twin._version == version:
                vc = self.info(twin).vc if self.info(twin) is not None else None
        if vc is None:
            vc = self.new_counter(version)
        if st is None:
            st = self._storage_of(t)[0]
        tid = self._next_tensor
        self._next_tensor += 1
        entry = TensorInfo(tid, vc, st, _ref(t))
        live = self._live
        live[id(t)] = entry
        if len(live) > self._sweep_at:
            self._sweep()
        self._emit(t, entry, base)
        return entry

    def _sweep(self) -> None:
        """Drops the entries of dead tensors, and the counters and storages only they used, now and
        then rather than per death (a weakref callback per tensor costs more than registering it)."""
        live = self._live
        for key in [key for key, entry in live.items() if entry.ref() is None]:
            del live[key]
        counters = {entry.vc for entry in live.values()}
        for vc in [vc for vc in self.versions if vc not in counters]:
            del self.versions[vc]
        for ptr in [ptr for ptr, known in self._storages.items() if known[1]() is None]:
            del self._storages[ptr]
        self._sweep_at = 2 * len(live) + 4096

    def _storage_of(self, t: torch.Tensor) -> tuple[int, torch.Tensor | None]:
        """The storage id of `t`, and a live registered tensor on the same memory (or None)."""
        try:
            ptr = t.untyped_storage().data_ptr()
        except (RuntimeError, NotImplementedError):
            ptr = 0
        if ptr:
            known = self._storages.get(ptr)
            if known is not None:
                twin = known[1]()
                if twin is not None:
                    return known[0], twin
        st = self._next_storage
        self._next_storage += 1
        if ptr:
            self._storages[ptr] = (st, weakref.ref(t))
        return st, None

    def _emit(self, t: torch.Tensor, entry: TensorInfo, base: int | None) -> None:
        self._writer.emit(schema.tensor(entry.tid, entry.vc, entry.st, int_list(t.shape), str(t.dtype)[6:],
                                        t.requires_grad, base, isinstance(t, _Parameter), self.values(t)))

    def values(self, t: torch.Tensor) -> str | None:
        """The JSON array of `t`'s values when it is small enough to preview, else None; for a GPU
        tensor, the placeholder the writer fills in once its asynchronous copy has landed."""
        if not self._value_limit or t.dtype not in _VALUE_DTYPES or t.is_meta:
            return None
        if t.numel() > self._value_limit:
            return None
        if t.device.type in previews.DEFERRED_DEVICES:
            return self.previews.defer(t)
        try:
            raw = t.tolist()
        except (RuntimeError, TypeError, ValueError):
            return None
        return number_array(raw)
