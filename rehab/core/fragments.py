"""Pages kept per process while the rows they show are unchanged.

A page's expensive part (the progress page's metrics, advice and charts; the dashboard's
triage list) is a pure function of the rows it reads, the day, the reader's language and the
address. The rows' state is the database's change counters (rehab.core.data_versions), so a
part rendered once is kept under a key made of them and shown again until one of them moves.

The part is HTML in which the request's CSRF token is replaced by a placeholder before it is
kept and put back when it is shown, so one reader's token never reaches another. Nothing else
in a kept part may depend on the reader beyond what the caller puts in the key (their role,
their id where the page is theirs).

Kept per app (each worker process its own), at most ``PAGE_CACHE_BYTES`` characters in all
(0 keeps nothing), least recently shown first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import current_app, g, request
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

_CSRF_HOLE = "\x00csrf\x00"  # never in rendered HTML (a NUL is not a character of a page)


class FragmentCache:
    """A least-recently-used store of strings with a budget in characters."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._parts: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            part = self._parts.get(key)
            if part is None:
                self.misses += 1
                return None
            self._parts.move_to_end(key)
            self.hits += 1
            return part

    def put(self, key: Hashable, part: str) -> None:
        if len(part) > self.budget:
            return
        with self._lock:
            old = self._parts.pop(key, None)
            if old is not None:
                self.size -= len(old)
            self._parts[key] = part
            self.size += len(part)
            while self.size > self.budget:
                _, dropped = self._parts.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._parts.clear()
            self.size = 0


def cache_for(app) -> FragmentCache:
    cache = app.extensions.get("rehab_fragments")
    if cache is None:
        cache = app.extensions["rehab_fragments"] = FragmentCache(
            int(app.config.get("PAGE_CACHE_BYTES", 0))
        )
    return cache


def kept(name: str, key: tuple, render: Callable[[], str]) -> Markup:
    """The part ``name`` for ``key``, kept or rendered now by ``render()`` (and kept).

    ``key`` holds what the part shows beyond the address asked for (its path and query) and
    the reader's language, which are added here: the change counters of its rows and the day.
    """
    cache = cache_for(current_app)
    full_key = (name, str(get_locale()), request.full_path, *key)
    part = cache.get(full_key) if cache.budget else None
    if part is not None:
        # The token is made only for a part that had one (a form), as rendering it would.
        part = part.replace(_CSRF_HOLE, generate_csrf()) if _CSRF_HOLE in part else part
        return Markup(part)  # noqa: S704  # a template's output, escaped when it was rendered
    html = str(render())
    if cache.budget:
        token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        cache.put(full_key, html.replace(token, _CSRF_HOLE) if token else html)
    return Markup(html)  # noqa: S704  # a template's output, escaped when it was rendered


def kept_each(name: str, keys: dict, build: Callable[[list], dict]) -> dict:
    """The parts of a list kept one by one (a dashboard's rows): ``keys`` maps each item to
    what its part shows (its change counters, the day…; the reader's language is added);
    ``build(items)`` renders the parts not kept, as a dict by item. Parts hold no form."""
    cache = cache_for(current_app)
    language = str(get_locale())
    full_keys = {item: (name, language, *key) for item, key in keys.items()}
    parts = {item: cache.get(key) if cache.budget else None for item, key in full_keys.items()}
    missing = [item for item, part in parts.items() if part is None]
    if missing:
        for item, part in build(missing).items():
            parts[item] = part
            if cache.budget:
                cache.put(full_keys[item], part)
    # A template's output, escaped when it was rendered.
    return {item: Markup(parts[item]) for item in keys}  # noqa: S704
