"""Real SPARQL servers for the remote-store tests: Oxigraph server and OpenLink Virtuoso.

Each is started on 127.0.0.1 with free ports in a temporary folder, waited for with a deadline
(a server that does not come up fails the tests with its log), and stopped at the end of the
session. Import the fixtures into a test module (``from servers import oxigraph_server``) to use
them; a server whose program is missing is skipped unless ``POLICYGRAPH_REQUIRE_SERVERS=1``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from policygraph.remotestore import RemoteStore
from policygraph.store import GraphStore

__all__ = [
    "ENGINES",
    "Server",
    "bundled_on",
    "embedded_bundled",
    "engine_store",
    "free_port",
    "oxigraph_bundled",
    "oxigraph_server",
    "remote_store",
    "start_oxigraph",
    "start_virtuoso",
    "stop",
    "virtuoso_bundled",
    "virtuoso_server",
    "wait_until",
]

REQUIRE_ENV = "POLICYGRAPH_REQUIRE_SERVERS"
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


def wait_until(server: Server, ready: object, timeout: float = START_TIMEOUT) -> None:
    """Wait until ``ready()`` is true; fail with the server's log if it exits or times out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"{server.name} exited with status {server.process.returncode} while starting; "
                f"log {server.log}:\n{server.log_tail()}")
        if ready():  # type: ignore[operator]
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


def _oxigraph_program() -> str | None:
    local = Path(sys.executable).with_name("oxigraph")
    return str(local) if local.exists() else shutil.which("oxigraph")


def start_oxigraph(folder: Path, port: int | None = None) -> Server:
    """Start ``oxigraph serve --union-default-graph`` on a store in ``folder``."""
    program = _oxigraph_program()
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
    wait_until(server, lambda: _answers(server.query_url))
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
NumberOfBuffers = 4000
MaxDirtyBuffers = 3000

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


def start_virtuoso(folder: Path) -> Server:
    """Start Virtuoso in the foreground with its own ini and database in ``folder``.

    The throwaway database lets the anonymous ``/sparql`` endpoint run updates
    (``GRANT SPARQL_UPDATE``); the authenticated ``/sparql-auth`` endpoint (digest, dba/dba)
    works too.
    """
    if not (Path(VIRTUOSO).exists() and Path(ISQL).exists()):
        raise FileNotFoundError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(db=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso.out"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=folder,
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{http_port}"
    server = Server("virtuoso", f"{base}/sparql", f"{base}/sparql", process, folder, log,
                    extra={"sql_port": str(sql_port), "auth_url": f"{base}/sparql-auth"})
    server.log = folder / "virtuoso.log"
    wait_until(server, lambda: _isql(server, "select 1;").returncode == 0)
    granted = _isql(server, 'GRANT SPARQL_UPDATE TO "SPARQL";')
    if granted.returncode != 0:
        stop(server)
        raise RuntimeError(f"virtuoso: cannot grant SPARQL_UPDATE: {granted.stdout}"
                           f"{granted.stderr}")
    wait_until(server, lambda: _answers(server.query_url))
    return server


def _required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


@contextlib.contextmanager
def _running(start: object, folder: Path) -> Iterator[Server]:
    try:
        server: Server = start(folder)  # type: ignore[operator]
    except FileNotFoundError as exc:
        if _required():
            raise
        pytest.skip(str(exc))
    try:
        yield server
    finally:
        stop(server)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An empty Oxigraph server with ``--union-default-graph`` for the session."""
    with _running(start_oxigraph, tmp_path_factory.mktemp("oxigraph-server")) as server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An empty Virtuoso (its own database and ports) for the session."""
    with _running(start_virtuoso, tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


#: The stores the answer tests run on.
ENGINES = ["embedded", "oxigraph-server", "virtuoso"]


def remote_store(server: Server, **options: object) -> RemoteStore:
    """A :class:`RemoteStore` on ``server``'s endpoints."""
    return RemoteStore(server.query_url, server.update_url, **options)  # type: ignore[arg-type]


def bundled_on(server: Server) -> RemoteStore:
    """Load every bundled ontology and data file into ``server`` as ``policygraph load`` does."""
    from policygraph.derive import derive
    from policygraph.loader import load_many
    from policygraph.resources import data_files, ontology_files
    from policygraph.validate import VALIDATOR

    store = remote_store(server)
    load_many(store, ontology_files() + data_files(), validate=VALIDATOR, derive=derive)
    return store


@pytest.fixture(scope="session")
def oxigraph_bundled(oxigraph_server: Server) -> Iterator[RemoteStore]:
    """The bundled files on the session's Oxigraph server (tests must not write to it)."""
    with bundled_on(oxigraph_server) as store:
        yield store


@pytest.fixture(scope="session")
def virtuoso_bundled(virtuoso_server: Server) -> Iterator[RemoteStore]:
    """The bundled files on the session's Virtuoso (tests must not write to it)."""
    with bundled_on(virtuoso_server) as store:
        yield store


@pytest.fixture(scope="session")
def embedded_bundled() -> Iterator[GraphStore]:
    """The bundled files in an in-memory embedded store (as conftest's ``bundled_store``)."""
    from policygraph.derive import derive
    from policygraph.loader import load_many
    from policygraph.resources import data_files, ontology_files
    from policygraph.store import OxigraphStore
    from policygraph.validate import VALIDATOR

    with OxigraphStore() as store:
        load_many(store, ontology_files() + data_files(), validate=VALIDATOR, derive=derive)
        yield store


def engine_store(request: pytest.FixtureRequest) -> GraphStore:
    """The bundled store for ``request.param``: the embedded one, or a loaded server."""
    fixture = {"embedded": "embedded_bundled", "oxigraph-server": "oxigraph_bundled",
               "virtuoso": "virtuoso_bundled"}[request.param]
    store: GraphStore = request.getfixturevalue(fixture)
    return store


@pytest.fixture(params=ENGINES, name="bundled_store")
def bundled_store_on_each_engine(request: pytest.FixtureRequest) -> GraphStore:
    """The bundled data on each engine: embedded, Oxigraph server and Virtuoso.

    Importing it into a test module runs that module's ``bundled_store`` tests on all three.
    """
    return engine_store(request)
