"""The worker processes of `msht serve --workers N`, each listening on a socket of its own.

uvicorn's workers share one listening socket, and a worker that wakes accepts every
connection then waiting: fifty clients that connected at once were split 45/5 and 37/13 in
measured runs of `benchmarks/api.py`, one worker using its whole core while the other
idled. Here each worker binds the port with SO_REUSEPORT, and Linux gives each new connection
to one of the sockets by a hash of its addresses: an even split on average, however busy
each worker is. (`msht.web.connections` closes a connection after 100 requests, so that an
uneven split does not last.) Elsewhere than on Linux, uvicorn's own workers serve.

The supervisor is deliberately small: it starts the workers, starts another when one ends,
stops them all when it is stopped, and gives up when a worker cannot start (a broken
configuration would otherwise be restarted for ever).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import time
from multiprocessing.connection import wait
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn
from uvicorn.config import STARTUP_FAILURE

from msht.errors import MshtError

#: Where uvicorn says what its servers do.
logger = logging.getLogger("uvicorn.error")

#: Whether the workers can have sockets of their own: Linux spreads connections over the
#: sockets sharing a port; other systems give them all to one.
OWN_SOCKETS = sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT")

#: Seconds a worker is given to finish its requests when the server stops.
STOPPING_SECONDS = 10.0


class ServeError(MshtError):
    """The server could not start, or its workers could not be kept running."""


class _StopRequested(Exception):  # noqa: N818 (a request to stop, not an error)
    """The supervisor was asked to stop (SIGTERM or SIGINT)."""


def port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to `host`:`port` that other sockets may bind too (SO_REUSEPORT);
    a ServeError when the port is taken by anything else."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    return sock


def _worker(config: uvicorn.Config) -> None:
    # A worker that cannot start exits with uvicorn's STARTUP_FAILURE, whatever stopped it,
    # having said why: the supervisor then stops the server rather than start another.
    config.configure_logging()  # a spawned process starts with none
    server = uvicorn.Server(config)
    try:
        sock = port_socket(config.host, config.port)
        sock.listen(config.backlog)
        server.run(sockets=[sock])
    except SystemExit:  # uvicorn exits so, having logged why
        if not server.started:
            sys.exit(STARTUP_FAILURE)
        raise
    except Exception:
        if server.started:
            raise
        logger.exception("worker %s could not start", os.getpid())
        sys.exit(STARTUP_FAILURE)
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def _stop(signum: int, _frame: FrameType | None) -> None:
    raise _StopRequested(signal.Signals(signum).name)


def run_workers(config: uvicorn.Config, count: int) -> None:
    """Serve `config` from `count` worker processes until SIGTERM or SIGINT, each with its
    own socket on the port, starting another worker when one ends."""
    # Bound and never listening, it holds the port (no connection is given to a socket that
    # does not listen) and says at once, here, when the port is taken.
    holder = port_socket(config.host, config.port)
    config.port = holder.getsockname()[1]
    context = multiprocessing.get_context("spawn")
    running: list[BaseProcess] = []

    def start() -> None:
        process = context.Process(target=_worker, args=(config,), name="msht web worker")
        process.start()
        running.append(process)

    previous = {s: signal.signal(s, _stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for _ in range(count):
            start()
        while True:
            ended = wait([process.sentinel for process in running])
            for process in [p for p in running if p.sentinel in ended]:
                running.remove(process)
                if process.exitcode == STARTUP_FAILURE:
                    raise ServeError("a worker could not start: see its error above")
                logger.warning(
                    "worker %s ended (exit code %s): starting another",
                    process.pid,
                    process.exitcode,
                )
                start()
    except _StopRequested:
        pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _end(running)
        holder.close()


def _end(processes: list[BaseProcess]) -> None:
    for process in processes:
        process.terminate()  # uvicorn finishes the requests it holds, then exits
    deadline = time.monotonic() + STOPPING_SECONDS
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join()
