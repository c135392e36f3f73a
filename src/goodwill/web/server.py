"""waitress, as ``goodwill serve`` runs it: the upload limit enforced while reading,
and several worker processes sharing the listening sockets.

waitress reads a whole request body (into memory or a temporary file) before the
app sees it, and turns a chunked body into one with a Content-Length. By default
it would read up to 1 GB; here it stops at the limit (plus room for chunk
framing) and answers 413 with goodwill's message, so an endless chunked upload
costs at most that much. A Content-Length over the limit is refused before the
body is read, by waitress or by goodwill.web.middleware.MaxBodySizeMiddleware.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import logging
import os
import signal
import socket
import sys
import time
from multiprocessing.sharedctypes import RawArray
from typing import Any

from django.conf import settings
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server
from waitress.utilities import RequestEntityTooLarge

from .middleware import too_large_message

# Chunk-size lines and trailers count against waitress's limit; allow for them.
FRAMING = 1024 * 1024


class _TooLarge(RequestEntityTooLarge):
    def __init__(self, size: int | None, limit: int, api: bool) -> None:
        super().__init__(too_large_message(size, limit))
        self.api = api

    def to_response(self, ident: str | None = None) -> tuple[str, list[tuple[str, str]], bytes]:
        if self.api:
            body = json.dumps({"detail": self.body}).encode()
            return f"{self.code} {self.reason}", [("Content-Type", "application/json")], body
        body = (self.body + "\n").encode()
        return f"{self.code} {self.reason}", [("Content-Type", "text/plain; charset=utf-8")], body


class _Parser(HTTPRequestParser):
    def received(self, data: bytes) -> int:
        consumed: int = super().received(data)
        if type(self.error) is RequestEntityTooLarge:
            declared = self.content_length if not self.chunked else None
            api = str(getattr(self, "path", "")).startswith("/api/")
            self.error = _TooLarge(declared, settings.DATA_UPLOAD_MAX_MEMORY_SIZE, api)
        return consumed


class _Channel(HTTPChannel):
    parser_class = _Parser


class Balance:
    """How many connections each worker process holds, in memory all of them share:
    a worker accepts a new connection only while it holds no more than any other.

    The workers accept on the same sockets, and the first one the kernel wakes takes
    the connection; a connection then stays with its worker as long as it is kept
    alive. Left to chance, 8 clients at 4 workers were held 4, 2, 1, 1 in four tries
    of five: four clients on one process, which runs one thread at a time, while a
    core idled. Balanced, they are held 2, 2, 2, 2.

    A worker that stops accepting sleeps until something happens on its connections,
    so every change of a count wakes the others (a byte down each one's pipe) to look
    again: the worker holding the fewest then always accepts. A slot of -1 is a
    worker not running."""

    def __init__(self, workers: int) -> None:
        self.counts = RawArray("i", [-1] * workers)
        self.pipes = [os.pipe() for _ in range(workers)]
        for read, write in self.pipes:
            os.set_blocking(read, False)
            os.set_blocking(write, False)

    def attach(self, slot: int, server_map: dict[int, Any]) -> None:
        """In the worker of ``slot``: its loop wakes when another worker's count changes."""
        _Wakeup(self.pipes[slot][0], server_map)

    def set(self, slot: int, held: int) -> None:
        """The worker in ``slot`` holds ``held`` connections (-1: it is not running)."""
        if self.counts[slot] == held:
            return
        self.counts[slot] = held
        for other, (_, write) in enumerate(self.pipes):
            if other != slot:
                with contextlib.suppress(BlockingIOError):  # already woken
                    os.write(write, b"\0")

    def close(self) -> None:
        for read, write in self.pipes:
            os.close(read)
            os.close(write)

    def accepting(self, slot: int) -> bool:
        """Whether the worker in ``slot`` holds no more connections than any other."""
        return self.counts[slot] <= min(c for c in self.counts if c >= 0)


if hasattr(wasyncore, "file_dispatcher"):  # POSIX, where there are several workers

    class _Wakeup(wasyncore.file_dispatcher):
        """The read end of a worker's pipe in its waitress loop: reading it is all."""

        def handle_read(self) -> None:
            with contextlib.suppress(BlockingIOError):
                self.recv(4096)

        def writable(self) -> bool:
            return False


def _balanced(
    listener: BaseWSGIServer, listeners: list[BaseWSGIServer], balance: Balance, slot: int
) -> bool:
    """A listener's ``readable`` in a balanced worker: called before each wait of its
    loop, so after every connection it accepted or closed. ``listeners``: all of the
    worker's (one per address), each keeping its own connections."""
    accepting: bool = BaseWSGIServer.readable(listener)
    balance.set(slot, sum(len(each.active_channels) for each in listeners))
    return accepting and balance.accepting(slot)


def create(application: Any, balance: tuple[Balance, int] | None = None, **options: Any) -> Any:
    """A waitress server for ``application`` (not started; call ``.run()``).

    ``options`` are waitress's (host, port, threads, trusted_proxy, ...); ``balance``,
    the shared counts of a worker process and its slot in them."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None:
        options.setdefault("max_request_body_size", limit + FRAMING)
    sockets: dict[int, Any] = {}
    server = create_server(application, map=sockets, **options)
    # One listener per address it listens on.
    listeners = [each for each in sockets.values() if isinstance(each, BaseWSGIServer)]
    for listener in listeners:
        listener.channel_class = _Channel
        if balance is not None:
            listener.readable = functools.partial(_balanced, listener, listeners, *balance)
    if balance is not None:
        balance[0].attach(balance[1], sockets)
    return server


log = logging.getLogger("goodwill.server")

# A worker that dies within this many seconds of its start is restarted only after
# a pause (doubling up to RESTART_PAUSE_MAX), so a crash at start-up cannot spin.
QUICK_DEATH_S = 5.0
RESTART_PAUSE_MAX = 30.0


def default_workers() -> int:
    """Two worker processes a core, at most 8; 1 where there is no fork (Windows).

    Each holds its own Python (one thread runs at a time in a process) and its own
    database connections. Two a core keep the cores busy while one process waits
    on the database or the network: at 100k people on 2 cores, 4 workers answered
    about 30 % more requests than 2, with a lower p95 (bench/load.py, 8 clients)."""
    if not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(8, 2 * (cores or 1)))


def listen(host: str, port: int, backlog: int = 1024) -> list[socket.socket]:
    """Listening sockets for every address ``host`` resolves to (as waitress binds
    them), made before the workers start so that all of them accept on the same ones."""
    found: list[socket.socket] = []
    seen: set[tuple[int, Any]] = set()
    for family, kind, proto, _, address in socket.getaddrinfo(
        host, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
    ):
        if (family, address) in seen:
            continue
        seen.add((family, address))
        sock = socket.socket(family, kind, proto)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen(backlog)
        except OSError:
            sock.close()
            for other in found:
                other.close()
            raise
        found.append(sock)
    return found


def run_workers(
    application: Any, *, workers: int, sockets: list[socket.socket], **options: Any
) -> None:
    """Serve with ``workers`` forked processes on ``sockets`` until SIGINT or SIGTERM.

    Python runs one thread at a time per process, so one process uses one core
    however many threads it has; each worker here is a waitress server of its own
    (``options``: threads, ident, trusted_proxy…) accepting on the shared sockets.
    A worker that exits is started again. The parent opens no database connection
    after the fork: each worker opens its own."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view once, for all workers)
    connections.close_all()  # not shared across the fork
    gc.collect()
    gc.freeze()  # the loaded code stays shared between the workers (copy-on-write)
    children: dict[int, tuple[float, int]] = {}  # pid -> start time, slot
    balance = Balance(workers)
    stopping = False

    def start(slot: int) -> None:
        balance.set(slot, 0)
        pid = os.fork()
        if pid == 0:  # the worker
            # SystemExit ends waitress's loop; it then lets running requests finish.
            signal.signal(signal.SIGTERM, _exit_worker)
            signal.signal(signal.SIGINT, _exit_worker)
            code = 0
            try:
                create(application, (balance, slot), sockets=sockets, **options).run()
            except SystemExit:
                pass
            except BaseException:  # noqa: BLE001  (reported, then the parent restarts it)
                log.exception("worker %s failed", os.getpid())
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children[pid] = (time.monotonic(), slot)

    def stop(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(workers):
        start(slot)
    pause = 0.5
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        child = children.pop(pid, None)
        if child is None or stopping:
            continue
        started, slot = child
        balance.set(slot, -1)  # not counted while it is away
        log.warning("worker %s exited (%s); starting another", pid, _exit_text(status))
        if time.monotonic() - started < QUICK_DEATH_S:
            time.sleep(pause)
            pause = min(RESTART_PAUSE_MAX, pause * 2)
        else:
            pause = 0.5
        if not stopping:
            start(slot)
    for sock in sockets:
        sock.close()
    balance.close()


def _exit_worker(_signum: int, _frame: Any) -> None:
    raise SystemExit(0)


def _exit_text(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"
