"""Start and stop real SPARQL servers on this machine: Oxigraph server and OpenLink Virtuoso.

Used by the remote-store tests (``tests/servers.py`` wraps these in pytest fixtures) and by
``policygraph bench``. Each server runs on 127.0.0.1 with free ports, in a folder of its own
(its database, configuration and log), is waited for with a deadline (a server that does not
come up raises :class:`RuntimeError` with the end of its log), and is stopped with :func:`stop`.
A server whose program is not installed raises :class:`FileNotFoundError`.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policygraph.store.remote.store import RemoteStore

__all__ = [
    "ISQL",
    "START_TIMEOUT",
    "VIRTUOSO",
    "Server",
    "free_port",
    "oxigraph_program",
    "remote_store",
    "server_version",
    "start_oxigraph",
    "start_virtuoso",
    "stop",
    "wait_until",
]

START_TIMEOUT = 60.0
VIRTUOSO = "/usr/bin/virtuoso-t"
ISQL = "/usr/bin/isql-vt"


@dataclass
class Server:
    """A running SPARQL server: its endpoints, process, folder and log."""

    name: str
    query_url: str
    update_url: str
    process: subprocess.Popen[bytes]
    folder: Path
    log: Path
    graph_store_url: str | None = None
    user: str | None = None
    password: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log, for error messages."""
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def peak_rss_mb(self) -> float | None:
        """The server process's peak resident memory so far (Linux ``VmHWM``), in MB.

        None when it cannot be read (another OS, or the process has ended).
        """
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    request = urllib.request.Request(
        url + "?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def wait_until(server: Server, ready: Callable[[], bool], timeout: float = START_TIMEOUT) -> None:
    """Wait until ``ready()`` is true; fail with the server's log if it exits or times out.

    Raises:
        RuntimeError: The server exited, or was not ready within ``timeout`` (then it is
            stopped).
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with status {server.process.returncode} while starting; "
                f"log {server.log}:\n{server.log_tail()}")
        if ready():
            return
        time.sleep(0.1)
    stop(server)
    raise RuntimeError(f"{server.name} did not answer at {server.query_url} within {timeout:g} s; "
                       f"log {server.log}:\n{server.log_tail()}")


def stop(server: Server) -> None:
    """Stop the server (politely first) and wait for its process to end."""
    if server.process.poll() is not None:
        return
    if server.name == "virtuoso":
        with contextlib.suppress(Exception):
            subprocess.run([ISQL, f"127.0.0.1:{server.extra['sql_port']}", "dba", "dba",
                            "exec=shutdown;"], capture_output=True, timeout=20, check=False)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(timeout=20)
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def oxigraph_program() -> str | None:
    """The ``oxigraph`` program (next to this Python first, then on PATH), or None."""
    local = Path(sys.executable).with_name("oxigraph")
    return str(local) if local.exists() else shutil.which("oxigraph")


def start_oxigraph(folder: Path, port: int | None = None) -> Server:
    """Start ``oxigraph serve --union-default-graph`` on a store in ``folder``.

    Raises:
        FileNotFoundError: The ``oxigraph`` program is not installed.
        RuntimeError: It did not start.
    """
    program = oxigraph_program()
    if program is None:
        raise FileNotFoundError("the oxigraph program is not installed (pip install oxigraph)")
    port = port or free_port()
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "oxigraph.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [program, "serve", "--location", str(folder / "data"),
             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    server = Server("oxigraph-server", f"{base}/query", f"{base}/update", process, folder, log,
                    graph_store_url=f"{base}/store")
    try:
        wait_until(server, lambda: _answers(server.query_url))
    except BaseException:
        stop(server)
        raise
    return server


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
; MOVE of a staged graph is one transaction: the default 50 MB log limit aborts one of a few
; hundred thousand triples (SR325).
TransactionAfterImageLimit = 1500000000
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {db}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxMemPoolSize = 40000000
MaxQueryMem = 200M
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 10
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[URIQA]
DynamicLocal = 0
DefaultHost = 127.0.0.1:{http_port}

[SPARQL]
ResultSetMaxRows = 1000000
MaxSortedTopRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DeferInferenceRulesInit = 0
"""


def _isql(server: Server, statement: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ISQL, f"127.0.0.1:{server.extra['sql_port']}", "dba", "dba", f"exec={statement}"],
        capture_output=True, text=True, timeout=30, check=False)


def start_virtuoso(folder: Path, *, buffers: int = 4000) -> Server:
    """Start Virtuoso in the foreground with its own ini and database in ``folder``.

    The throwaway database lets the anonymous ``/sparql`` endpoint run updates
    (``GRANT SPARQL_UPDATE``); the authenticated ``/sparql-auth`` endpoint (digest, dba/dba)
    works too.

    Args:
        folder: Where the database, ini and log go (created if missing).
        buffers: Virtuoso's ``NumberOfBuffers`` (8 KiB pages of cache; about 85,000 per GB
            it may use); ``MaxDirtyBuffers`` is three quarters of it.

    Raises:
        FileNotFoundError: Virtuoso (``virtuoso-t`` and ``isql-vt``) is not installed.
        RuntimeError: It did not start.
    """
    if not (Path(VIRTUOSO).exists() and Path(ISQL).exists()):
        raise FileNotFoundError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(db=folder, sql_port=sql_port, http_port=http_port,
                                        buffers=buffers, dirty_buffers=buffers * 3 // 4))
    log = folder / "virtuoso.out"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=folder,
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    server = Server("virtuoso", f"{base}/sparql", f"{base}/sparql", process, folder, log,
                    extra={"sql_port": str(sql_port), "auth_url": f"{base}/sparql-auth"})
    server.log = folder / "virtuoso.log"
    try:
        wait_until(server, lambda: _isql(server, "select 1;").returncode == 0)
        granted = _isql(server, 'GRANT SPARQL_UPDATE TO "SPARQL";')
        if granted.returncode != 0:
            raise RuntimeError(f"virtuoso: cannot grant SPARQL_UPDATE: {granted.stdout}"
                               f"{granted.stderr}")
        wait_until(server, lambda: _answers(server.query_url))
    except BaseException:
        stop(server)
        raise
    return server


def remote_store(server: Server, **options: Any) -> RemoteStore:
    """A :class:`RemoteStore` on ``server``'s query and update endpoints."""
    return RemoteStore(server.query_url, server.update_url, **options)


def server_version(name: str) -> str:
    """A short version string of the ``oxigraph`` or ``virtuoso`` program, or ``""``."""
    program = oxigraph_program() if name == "oxigraph-server" else VIRTUOSO
    if program is None:
        return ""
    flag = "--version" if name == "oxigraph-server" else "+version"
    try:
        done = subprocess.run([program, flag], capture_output=True, text=True, timeout=10,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    for line in (done.stdout + done.stderr).splitlines():
        words = line.split()
        if name == "oxigraph-server" and words[:1] == ["oxigraph"] and len(words) > 1:
            return words[1]
        if words[:1] == ["Version"] and len(words) > 1:
            return words[1].split("-")[0]
    return ""
