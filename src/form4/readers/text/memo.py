"""Answers kept for questions the reader asks again and again (the same labels, words and
tears recur on every form).  Compiled modules call their own functions directly, past any
``functools`` cache decorator, so they keep answers here instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Memo(Generic[K, V]):
    def __init__(self, answer: Callable[[K], V], size: int = 16384) -> None:
        self.answer = answer
        self.size = size
        self.kept: dict[K, V] = {}

    def __call__(self, key: K) -> V:
        if key in self.kept:
            return self.kept[key]
        if len(self.kept) >= self.size:  # bounded: a long batch of forms must not grow it forever
            self.kept.clear()
        value = self.kept[key] = self.answer(key)
        return value
