"""Differences between the torch versions the recorder supports (2.13 to 2.15), in one place."""

from typing import Any, Callable


def classmethod_function(descriptor: Any) -> Callable[..., Any]:
    """The function behind a classmethod, callable as `f(cls, *args, **kwargs)`.

    torch 2.13 defines `autograd.Function.apply` in Python (a `classmethod`, whose `__func__` is
    the function); torch 2.14 and 2.15 define it in C (a `classmethod_descriptor`, which has no
    `__func__` but binds to a class through `__get__`). Both recorders wrap it through this."""
    function = getattr(descriptor, "__func__", None)
    if function is not None:
        return function

    def call(cls: type, *args: Any, **kwargs: Any) -> Any:
        return descriptor.__get__(None, cls)(*args, **kwargs)
    return call
