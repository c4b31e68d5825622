"""Type-ahead: keys typed while a screen is still being built are held, then handed on in order.

Textual gives each key to whatever has focus at the moment the app reads it. A form opened by
`l` has no focus until it is mounted and its defaults are in, so digits typed right after `l`
used to vanish (180 m saved as 80 m); and in a burst (a slow machine, a fast typist) a Tab and
the digit after it both went to the field that had focus before the Tab moved it.

So every key goes through one queue. Before handing on a key, the pump waits until the screen on
top says it is ready for keys (`ready_for_keys`, an `asyncio.Event`; screens without one are
ready once mounted); after handing it on, it waits until the key has travelled all the way up the
widget tree to the app (where bindings run), so the next key meets the focus this one left.

A dialog whose answer matters (`answers_only_fresh_keys`) is never answered by keys typed
before it appeared: those are dropped, not delivered to it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, cast

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump
    from textual.worker import Worker

READY_TIMEOUT_S = 10.0
"""A screen that never says it is ready (a bug) must not swallow the keyboard for good."""
HOP_TIMEOUT_S = 5.0
"""How long one widget may take over a key before the next key is handed on anyway."""
NEWLINE_KEY = "ctrl+j"
"""How Textual names a newline; nothing in the app is bound to it."""
FOCUS_KEYS = ("tab", "shift+tab")
"""Keys whose effect depends on where the widgets are laid out (the focus order)."""
MAX_ROUNDS = 6
"""Rounds of following a key's consequences up the tree (a key, the message it causes, …)."""


class TypeAhead:
    """Holds keys (and pastes) in order and hands them to `deliver` one at a time."""

    def __init__(self, app: App[Any], deliver: Callable[[events.Event], Awaitable[None]]):
        self.app = app
        self._deliver = deliver
        self._queue: deque[events.Event] = deque()
        self._running = False
        self._subscribed = False
        self._screen_changed = asyncio.Event()
        self.taken = 0
        """Keys (and pastes) received so far."""
        self.held_max = 0
        """The most keys that were waiting at once (for the benchmark)."""
        self.dropped = 0
        """Keys typed before a question appeared, kept from answering it."""

    @property
    def pending(self) -> int:
        return len(self._queue)

    @property
    def busy(self) -> bool:
        return self._running

    def take(self, event: events.Event) -> None:
        self.taken += 1
        if isinstance(event, events.Key) and event.key == NEWLINE_KEY:
            # Enter typed while the app was still starting reached the terminal in line mode,
            # which turned it into a newline; it meant Enter.
            event = events.Key("enter", "\r")
        self._queue.append(event)
        self.held_max = max(self.held_max, len(self._queue))
        if not self._subscribed:
            self._subscribed = True
            self.app.screen_change_signal.subscribe(
                self.app, lambda _: self._screen_changed.set(), immediate=True
            )
        if not self._running:
            self._running = True
            # the function, not a coroutine: a key that arrives while the app closes starts
            # no worker, and no coroutine is left never awaited
            pump = cast("Callable[[], Coroutine[None, None, None]]", self._pump)
            self._worker: Worker[None] = self.app.run_worker(
                pump, group="typeahead", exit_on_error=True, description="type-ahead"
            )

    async def _pump(self) -> None:
        try:
            while self._queue:
                await self._until_ready()
                event = self._queue.popleft()
                screen = self.app.screen
                fresh_after = getattr(screen, "answers_only_fresh_keys", None)
                if isinstance(fresh_after, float) and event.time < fresh_after:
                    self.dropped += 1
                    continue
                target: MessagePump = self.app.focused or screen
                await self._deliver(event)
                await self._until_handled(target)
                await self._until_laid_out()
        finally:
            self._running = False

    async def _until_ready(self) -> None:
        """Wait until the screen on top is mounted, has its focus and says it takes keys;
        start again whenever another screen comes on top meanwhile."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + READY_TIMEOUT_S
        while loop.time() < deadline:
            screen = self.app.screen
            self._screen_changed.clear()
            if not await self._wait(screen._mounted_event, deadline):
                continue
            ready = getattr(screen, "ready_for_keys", None)
            if isinstance(ready, asyncio.Event) and not await self._wait(ready, deadline):
                continue
            # focus is set through the screen's and the app's queues: let that happen first
            await self._flush(screen)
            await self._flush(self.app)
            if self.app.screen is screen:
                return

    async def _wait(self, event: asyncio.Event, deadline: float) -> bool:
        """Wait for `event`; False if another screen came on top first (or time ran out)."""
        if event.is_set():
            return True
        waits = [asyncio.ensure_future(event.wait()), asyncio.ensure_future(self._changed())]
        timeout = max(deadline - asyncio.get_running_loop().time(), 0.0)
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        for waiting in waits:
            waiting.cancel()
        return event.is_set()

    async def _changed(self) -> None:
        await self._screen_changed.wait()

    async def _until_handled(self, target: MessagePump) -> None:
        """Follow the key up the tree: each node handles it (and may pass it to its parent)
        before a callback posted after it. What the handlers post in turn (a table's
        RowSelected that opens the editor, a submitted field that starts a save) runs in
        further rounds, until a round finds every queue on the way empty."""
        chain: list[MessagePump] = []
        node: MessagePump | None = target
        while node is not None:
            chain.append(node)
            node = node._parent
        for _ in range(MAX_ROUNDS):
            busy = False
            for node in chain:
                busy |= not node._message_queue.empty()
                await self._flush(node)
            if not busy:
                return

    async def _until_laid_out(self) -> None:
        """Textual orders Tab by where widgets sit on the screen: after a key that showed or
        hid fields (the event form's kind), the next Tab must meet the new layout, not the
        one of the frame before."""
        following = self._queue[0] if self._queue else None
        if not (isinstance(following, events.Key) and following.key in FOCUS_KEYS):
            return  # only the focus order needs the layout; other keys do not wait a frame
        screen = self.app.screen
        if not getattr(screen, "_layout_required", False):
            return
        done = asyncio.Event()
        if screen.is_running and screen.call_after_refresh(done.set):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), HOP_TIMEOUT_S)

    @staticmethod
    async def _flush(node: MessagePump) -> None:
        done = asyncio.Event()
        if node.is_running and node.call_later(done.set):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), HOP_TIMEOUT_S)
