"""Apache Jena's SHACL validator, the third opinion in the mutation suite (test_mutations.py).

Runs ``tests/resources/jena/ShaclCheck.java`` with Debian's ``libapache-jena-java`` (Jena 4.5) in
one JVM over many unions of data files (a shared context and each mutant). Two things of that
package are worked around here, not in the shapes:

- Debian's build moved Jena's copy of Xerces to the package ``xerces`` but left its message
  files under ``org/apache/jena/ext/xerces``; without them Jena cannot start ("internal error"
  in ``XSSimpleTypeDecl``). They are copied to where the classes look for them.
- Jena 4.5 refuses a SPARQL constraint with more than one ``sh:message`` (the shapes give one per
  language, as SHACL allows); Jena is given the English messages only (messages are not
  compared with Jena's, only what is found).

Blank nodes are made IRIs (skolemised) before Jena sees them and named back afterwards, so a
finding on a blank node can be told apart from one on another (the shapes never ask whether a
node is blank).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import from_n3

from policygraph.namespaces import SH
from tests.helpers import java_unavailable

__all__ = ["JenaFinding", "classpath", "run_jena", "skolemised"]

CHECK = Path(__file__).parents[1] / "resources" / "jena" / "ShaclCheck.java"
JARS = Path("/usr/share/java")
SKOLEM = "https://example.org/.well-known/genid/"
#: Jena's own jars and what they need (libapache-jena-java's dependencies), by file name.
NEEDED = ("commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
          "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore",
          "jackson-annotations", "jackson-core", "jackson-databind", "jakarta.json-api",
          "jsonld-java", "protobuf", "slf4j-api", "slf4j-nop", "thrift", "titanium-json-ld")


@dataclass(frozen=True)
class JenaFinding:
    """One of Jena's results, its terms back in rdflib's (blank nodes named back)."""

    severity: str  # "violation" | "warning" | "info"
    focus: Node
    path: URIRef | None
    value: Node | None
    shape: str


def classpath(work: Path) -> str:
    """The class path for ShaclCheck.java; skips (fails in CI) without a JDK or Jena."""
    if not (JARS / "jena-shacl.jar").exists() or shutil.which("javac") is None:
        java_unavailable("the SHACL mutation suite's reference validator needs a JDK and Apache "
                         "Jena (apt-get install default-jdk-headless libapache-jena-java)")
    messages = work / "xerces-messages"
    with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target = messages / name.removeprefix("org/apache/jena/ext/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = sorted(JARS.glob("jena-*.jar"))
    jars = [jar for jar in jars if not jar.is_symlink()]
    jars += [JARS / f"{name}.jar" for name in NEEDED]
    return os.pathsep.join([str(messages), *map(str, jars)])


def skolemised(graph: Graph) -> Graph:
    """A copy of ``graph`` whose blank nodes are IRIs under :data:`SKOLEM`."""
    def named(term: Node) -> Node:
        return URIRef(SKOLEM + str(term)) if isinstance(term, BNode) else term

    copy = Graph()
    for triple in graph:
        copy.add(tuple(map(named, triple)))  # type: ignore[arg-type]
    return copy


def jena_shapes(shapes: Graph) -> Graph:
    """The shapes as Jena 4.5 takes them: one (English) message per constraint."""
    copy = Graph()
    for s, p, o in shapes:
        if p != SH.message or (isinstance(o, Literal) and o.language == "en"):
            copy.add((s, p, o))
    return copy


def _term(text: str) -> Node | None:
    if not text:
        return None
    if text.startswith(SKOLEM):
        return BNode(text.removeprefix(SKOLEM))
    if text.startswith(("_:", '"')):
        return from_n3(text)  # type: ignore[return-value]
    return URIRef(text)


def run_jena(cp: str, shapes: Path, data: list[tuple[Path, ...]]
             ) -> dict[tuple[Path, ...], list[JenaFinding]]:
    """Jena's findings for each union of data files (N-Triples, skolemised), in one JVM."""
    joined = {"+".join(map(str, files)): files for files in data}
    assert not any("+" in str(path) for files in data for path in files)
    done = subprocess.run(["java", "-cp", cp, str(CHECK), str(shapes), *joined],
                          capture_output=True, text=True, timeout=900, encoding="utf-8")
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[tuple[Path, ...], list[JenaFinding]] = {files: [] for files in data}
    counted: dict[tuple[Path, ...], int] = {}
    for line in done.stdout.splitlines():
        if line.startswith("done: "):
            name, count = line.removeprefix("done: ").rsplit(" ", 1)
            counted[joined[name]] = int(count)
            continue
        argument, severity, focus, path, value, shape = line.split("\t")
        found[joined[argument]].append(JenaFinding(
            severity.lower(), _term(focus), _term(path),  # type: ignore[arg-type]
            _term(value), shape))
    assert counted == {files: len(found[files]) for files in data}, done.stdout[-3000:]
    return found
