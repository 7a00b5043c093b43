"""Cut a query worker off the network, so that no query can make the engine reach out.

pyoxigraph evaluates ``SERVICE`` by making an HTTP request, and has no switch to turn that off.
The endpoint refuses such texts before they reach a worker (:mod:`policygraph.endpoint.service`),
but the engine's parser and that check are different code. So a worker that runs queries on
the embedded store first moves itself into a network namespace of its own, which has no
interface but a loopback that is down: any connection the engine tries fails at once, whatever
the text said. That needs Linux and either root or unprivileged user namespaces; where neither
is there, the worker runs as before and the check in front of it is the only guard (the server
logs which it is, :func:`isolate`).

This module imports only the standard library (workers start fast).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import socket

__all__ = ["CLONE_NEWNET", "CLONE_NEWUSER", "isolate", "network_reachable"]

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def _unshare(flags: int) -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return False
    unshare = getattr(libc, "unshare", None)
    return unshare is not None and unshare(flags) == 0


def isolate() -> str:
    """Move this process into a new network namespace; say how it went.

    Returns:
        ``"network namespace"`` (as root), ``"user and network namespace"`` (unprivileged), or
        ``"not isolated: <why>"`` when the system allows neither.
    """
    if not hasattr(os, "fork") or not os.path.exists("/proc/self/ns/net"):
        return "not isolated: no network namespaces on this system"
    if _unshare(CLONE_NEWNET):
        return "network namespace"
    if _unshare(CLONE_NEWUSER | CLONE_NEWNET):
        return "user and network namespace"
    return f"not isolated: unshare refused ({os.strerror(ctypes.get_errno())})"


def network_reachable(host: str, port: int) -> bool:
    """Whether a TCP connection to ``host:port`` can be made from this process."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False
