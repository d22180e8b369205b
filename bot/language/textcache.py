"""Caches of text functions bounded by memory, not by count.

Each question passes through several cached functions (normalising, pinyin, disclaimers); a
cache sized by count for short texts holds hundreds of MB once the texts are long and all
different (issue 12: 212 → 486 MB over 21,000 questions). These count the bytes of the text
and of the result, and drop the least recently used beyond their budget.
"""
from __future__ import annotations

import dataclasses
import functools
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

MB = 1 << 20
# What the cache itself holds per entry besides the key and value (the ordered dict's slot and
# links, the (value, size) pair): measured ~155 bytes, as much again as a short word and its pinyin.
ENTRY_OVERHEAD = 160
_ATOMS = frozenset({int, float, bool, type(None)})  # nothing inside them to count


def size_of(value) -> int:
    """Bytes held by a value of strings, numbers and tuples/lists/dicts of them. A Chinese text
    counts its UTF-8 copy too: sqlite and jieba make Python keep one inside the string object
    once they have read it (up to 3 bytes a character), after it was cached. Strings and tuples,
    what the caches hold, are told apart by their exact type first; numbers are counted before
    the dataclass check, which costs more than the rest (a tuple of hits holds dozens)."""
    kind = type(value)
    if kind is str:
        return _str_size(value)
    if kind is tuple:
        return sys.getsizeof(value) + sum(map(size_of, value))
    size = sys.getsizeof(value)
    if isinstance(value, str):
        return size if value.isascii() else size + 3 * len(value)
    if kind in _ATOMS:
        return size
    if isinstance(value, (tuple, list, set, frozenset)):
        return size + sum(map(size_of, value))
    if isinstance(value, dict):
        return size + sum(size_of(k) + size_of(v) for k, v in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return size + sum(size_of(getattr(value, f.name)) for f in dataclasses.fields(value))
    return size


def _str_size(text: str) -> int:
    size = sys.getsizeof(text)
    return size if text.isascii() else size + 3 * len(text)


_MISSING = object()


class TextCache:
    """A thread-safe LRU of key → value holding at most `max_bytes` (keys, values and the
    cache's own bookkeeping)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()  # key → (value, size), oldest first
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable, default=None):
        # No lock (a new question meets every cache, and a lock cost as much as the lookup): one
        # lookup and one move are each atomic, an entry is only ever stored whole, and one that
        # another thread drops in between was found all the same.
        items = self._items
        item = items.get(key)
        if item is None:
            return default
        try:
            items.move_to_end(key)
        except KeyError:
            pass
        return item[0]

    def remembered(self, key: Hashable, make: Callable[[], object], measure: Callable[[object], int] | None = None):
        """The value kept for `key`, else make()'s, kept: for a function of the key (and of
        what owns the cache) that returns strings, numbers and tuples of them. `measure`: the
        bytes of key and value (see put), from the value."""
        value = self.get(key, _MISSING)
        if value is _MISSING:
            value = make()
            self.put(key, value, None if measure is None else measure(value))
        return value

    def put(self, key: Hashable, value, size: int | None = None) -> None:
        """Keep value for key. `size`: the bytes of both, when the caller knows them at less
        cost than size_of (which visits every item)."""
        size = (size_of(key) + size_of(value) if size is None else size) + ENTRY_OVERHEAD
        if size > self.max_bytes:  # one larger than the whole budget is not kept at all
            return
        with self._lock:
            items = self._items
            replaced = items.pop(key, None)
            self._bytes += size - (replaced[1] if replaced else 0)
            items[key] = (value, size)
            while self._bytes > self.max_bytes:
                self._bytes -= items.popitem(last=False)[1][1]

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def text_cached(max_bytes: int) -> Callable:
    """Like functools.lru_cache for a function of one hashable argument, bounded by bytes."""
    def decorate(func: Callable) -> Callable:
        cache = TextCache(max_bytes)

        @functools.wraps(func)
        def cached(arg):
            value = cache.get(arg, _MISSING)
            if value is _MISSING:
                value = func(arg)
                cache.put(arg, value)
            return value

        cached.cache = cache
        return cached
    return decorate
