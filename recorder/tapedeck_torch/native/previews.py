"""NativePreviews: the native core's deferred value previews as the writer fills them.

The core copies a GPU tensor's preview to the host asynchronously, formats a placeholder in its
place and keeps the copy (native/core.cpp, `Previews` and `held`), numbering placeholders by the
copies it holds; `take` and `end_backward` say how many they added. This is the writer's view of
them: the same `fill` as the Python recorder's `DevicePreviews` (one wait for the device per chunk
of lines written), with the texts formatted by the core from the copies it holds.
"""

from types import ModuleType

from ..previews import DevicePreviews


class NativePreviews(DevicePreviews):
    """The previews the native core holds copies of, not yet written."""

    def __init__(self, core: ModuleType) -> None:
        super().__init__()
        self._core = core
        self._held = 0

    @property
    def pending(self) -> bool:
        return self._held > 0

    def held(self, count: int, devices: set[str]) -> None:
        """Notes `count` more copies the core holds, from `devices` (`"cuda:0"`)."""
        self._held += count
        self._devices.update(devices)

    def _texts(self) -> list[str]:
        return self._core.preview_texts()

    def clear(self) -> None:
        super().clear()
        if self._held:
            self._core.drop_previews()
        self._held = 0
