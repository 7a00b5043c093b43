"""The OWL ontology: every term documented in Thai and English, and consistent under HermiT."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from policygraph.namespaces import PG
from policygraph.resources import data_files, ontology_dir

ONTOLOGY = URIRef("https://w3id.org/policygraph/ontology")
# xsd:gYear and rdf:langString are outside OWL 2's datatype map; HermiT is told to reason
# around them rather than refuse the whole ontology (every other axiom is still checked).
HERMIT_OPTIONS = {"infer_property_values": False, "debug": 0, "ignore_unsupported_datatypes": True}
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
    if shutil.which("java") is not None:
        return
    if os.environ.get("CI", "").lower() == "true" or \
            os.environ.get("POLICYGRAPH_REQUIRE_JAVA") == "1":
        pytest.fail("the HermiT tests must run in CI: no Java runtime", pytrace=False)
    pytest.skip("HermiT needs a Java runtime (apt-get install default-jre-headless)")


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


def test_hermit_detects_an_inconsistency(tmp_path: Path) -> None:
    # A project that is also an activity breaks the disjointness axiom: the check can fail.
    _need_java()
    owlready2 = pytest.importorskip("owlready2")
    graph = Graph().parse(ontology_dir() / "policygraph.ttl")
    thing = URIRef("https://example.org/both")
    graph.add((thing, RDF.type, PG.Project))
    graph.add((thing, RDF.type, PG.Activity))
    ntriples = tmp_path / "bad.nt"
    graph.serialize(ntriples, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(ntriples.as_uri()).load()
    with onto, pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        owlready2.sync_reasoner_hermit(world, **HERMIT_OPTIONS)
