"""The OWL ontology: every term documented in Thai and English, and consistent under HermiT."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from policygraph.namespaces import PG
from policygraph.resources import data_files, ontology_dir
from tests.helpers import java_unavailable

ONTOLOGY = URIRef("https://w3id.org/policygraph/ontology")
# The ontology states no range outside OWL 2's datatype map (text is rdf:PlainLiteral; years
# and dates are left to SHACL), but the data's xsd:gYear and xsd:date literals are outside it:
# HermiT is told to reason around those values rather than refuse the whole data (every other
# axiom and value is still checked, e.g. a number where text belongs).
HERMIT_OPTIONS = {"infer_property_values": False, "debug": 0, "ignore_unsupported_datatypes": True}
PROFILE_CHECK = Path(__file__).parent / "resources" / "owlapi" / "ProfileCheck.java"
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_dir() / "policygraph.ttl")


def _terms(graph: Graph) -> list[URIRef]:
    found = {s for t in TERM_TYPES for s in graph.subjects(RDF.type, t)
             if isinstance(s, URIRef) and str(s).startswith(str(PG))}
    return sorted(found)


def _langs(graph: Graph, term: URIRef, *predicates: URIRef) -> set[str | None]:
    return {o.language for p in predicates for o in graph.objects(term, p)
            if isinstance(o, Literal)}


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for predicate in (OWL.versionInfo, URIRef("http://purl.org/dc/terms/license")):
        assert ontology.value(ONTOLOGY, predicate) is not None


def test_every_term_is_labelled_and_defined_in_thai_and_english(ontology: Graph) -> None:
    terms = _terms(ontology)
    assert len(terms) > 60
    problems = []
    for term in terms:
        if not {"th", "en"} <= _langs(ontology, term, RDFS.label):
            problems.append(f"{term}: rdfs:label th+en")
        if not {"th", "en"} <= _langs(ontology, term, RDFS.comment, SKOS.definition):
            problems.append(f"{term}: definition th+en")
        if (term, RDFS.isDefinedBy, ONTOLOGY) not in ontology:
            problems.append(f"{term}: rdfs:isDefinedBy")
    assert problems == []


def test_data_uses_only_declared_terms(ontology: Graph) -> None:
    declared = set(_terms(ontology)) | {s for s in ontology.subjects() if isinstance(s, URIRef)}
    used = set()
    for path in data_files():
        graph = Graph().parse(path)
        used |= {t for triple in graph for t in triple
                 if isinstance(t, URIRef) and str(t).startswith(str(PG))}
    assert used - declared == set()


def _need_java() -> None:
    """HermiT runs on Java: without it the test skips on a workstation and fails in CI."""
    if shutil.which("java") is None:
        java_unavailable("HermiT needs a Java runtime (apt-get install default-jre-headless)")


def test_ontology_and_data_are_consistent_under_hermit(tmp_path: Path) -> None:
    _need_java()
    owlready2 = pytest.importorskip("owlready2")
    graph = Graph().parse(ontology_dir() / "policygraph.ttl")
    for path in data_files():
        graph.parse(path)
    ntriples = tmp_path / "all.nt"
    graph.serialize(ntriples, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(ntriples.as_uri()).load()
    with onto:
        # Raises OwlReadyInconsistentOntologyError when the ontology and data are inconsistent.
        owlready2.sync_reasoner_hermit(world, **HERMIT_OPTIONS)
    assert list(world.inconsistent_classes()) == []


_BOTH = URIRef("https://example.org/both")
_LINK = URIRef("https://example.org/link")


@pytest.mark.parametrize("planted", [
    # A project that is also an activity breaks the disjointness axiom.
    [(_BOTH, RDF.type, PG.Project), (_BOTH, RDF.type, PG.Activity)],
    # A datatype error the reasoner must see: pg:rationale ranges over rdf:PlainLiteral (in
    # OWL 2's datatype map), so a rationale that is a number makes the data inconsistent.
    [(_LINK, RDF.type, PG.Alignment), (_LINK, PG.rationale, Literal(42))],
], ids=["disjoint-kinds", "number-as-rationale"])
def test_hermit_detects_a_planted_inconsistency(tmp_path: Path,
                                                planted: list[tuple[URIRef, URIRef, object]]
                                                ) -> None:
    _need_java()
    owlready2 = pytest.importorskip("owlready2")
    graph = Graph().parse(ontology_dir() / "policygraph.ttl")
    for triple in planted:
        graph.add(triple)  # type: ignore[arg-type]
    ntriples = tmp_path / "bad.nt"
    graph.serialize(ntriples, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(ntriples.as_uri()).load()
    with onto, pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        owlready2.sync_reasoner_hermit(world, **HERMIT_OPTIONS)


def _owlapi() -> str:
    """The class path of Debian's OWL API (libowlapi-java) with the libraries it needs (the jars
    of /usr/share/java, its packages' folder), and a JDK to run a source file. Of SLF4J, only
    the API and the no-op binding: with several bindings and bridges on the path, which one
    wins depends on the folder's order, and log4j-over-slf4j beside slf4j-log4j12 is fatal."""
    folder = Path("/usr/share/java")
    if any(folder.glob("owlapi-distribution*.jar")) and shutil.which("javac") is not None:
        return os.pathsep.join(
            str(jar) for jar in sorted(folder.glob("*.jar"))
            if "slf4j" not in jar.name or jar.name in ("slf4j-api.jar", "slf4j-nop.jar"))
    java_unavailable("the OWL 2 DL profile check needs a JDK and the OWL API (apt-get install "
                     "default-jdk-headless libowlapi-java)")


def _profile_violations(classpath: str, ontology: Path) -> list[str]:
    done = subprocess.run(["java", "-cp", classpath, str(PROFILE_CHECK), str(ontology)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert lines and lines[-1].startswith("violations: "), done.stdout[-2000:]
    assert int(lines[-1].split(": ")[1]) == len(lines) - 1
    return lines[:-1]


def test_the_ontology_is_owl_2_dl(tmp_path: Path) -> None:
    """The OWL API's OWL 2 DL profile check finds nothing in the ontology as shipped, and does
    find a range outside the datatype map and an undeclared reused term planted in a copy."""
    _need_java()
    classpath = _owlapi()
    assert _profile_violations(classpath, ontology_dir() / "policygraph.ttl") == []
    text = (ontology_dir() / "policygraph.ttl").read_text(encoding="utf-8")
    planted = tmp_path / "planted.ttl"
    planted.write_text(text.replace("pg:fiscalYear a owl:DatatypeProperty ;",
                                    "pg:fiscalYear a owl:DatatypeProperty ; rdfs:range xsd:gYear ;")
                       .replace("skos:definition a owl:AnnotationProperty .", ""),
                       encoding="utf-8")
    found = _profile_violations(classpath, planted)
    assert any("undeclared datatype: xsd:gYear" in line for line in found), found
    assert any("undeclared annotation property" in line and "definition" in line
               for line in found), found
