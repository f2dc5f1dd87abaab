"""Work shared by the parts of one page: inside `scope()`, a function marked `@per_scope`
runs once per arguments and language, and later calls get its first answer; outside any
scope every call runs. For reference data that many parts of one page read (the
municipalities' names, which ward is in which city), never kept beyond the scope.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.utils.translation import get_language

_answers: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("memo_answers", default=None)


@contextmanager
def scope() -> Iterator[None]:
    """Share the answers of `per_scope` functions until the block ends (scopes nest: an
    inner one shares the outer one's answers)."""
    if _answers.get() is not None:
        yield
        return
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def per_scope[**P, T](function: Callable[P, T]) -> Callable[P, T]:
    @wraps(function)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> T:
        answers = _answers.get()
        if answers is None:
            return function(*args, **kwargs)
        key = (function, get_language(), args, tuple(sorted(kwargs.items())))
        if key not in answers:
            answers[key] = function(*args, **kwargs)
        return answers[key]

    return wrapped
