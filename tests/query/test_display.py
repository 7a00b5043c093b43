"""Tests for rendering results as table, CSV and SPARQL JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS, XSD
from wcwidth import wcswidth

from policygraph.errors import UnknownNameError
from policygraph.namespaces import ID, PG
from policygraph.query.display import (
    NONE_MARK,
    render,
    render_csv,
    render_json,
    render_table,
    short_iri,
    truncate,
)
from policygraph.store.results import QueryResult
from tests.helpers import EX

THAI = QueryResult(
    kind="select",
    variables=["element", "label", "amount"],
    rows=[
        {"element": ID["opdc-acp-2567/s1"],
         "label": Literal("ยุทธศาสตร์ที่ ๑ การป้องกันการทุจริต", lang="th"),
         "amount": Literal("1500000", datatype=XSD.integer)},
        {"element": ID["opdc-acp-2567/s2"], "label": Literal("น้ำ", lang="th"), "amount": None},
        {"element": EX.other, "label": Literal("Plain English label"),
         "amount": Literal("12", datatype=XSD.integer)},
        {"element": BNode("b1"), "label": Literal("ที่นี่ ผู้ใหญ่ เด็ก ๆ ทั่วไทย"), "amount": None},
    ],
)


def test_thai_table_lines_have_equal_display_width() -> None:
    lines = render_table(THAI).splitlines()
    assert len(lines) == 2 + len(THAI.rows)
    widths = {wcswidth(line) for line in lines}
    assert len(widths) == 1, lines


def test_table_cells() -> None:
    table = render_table(THAI)
    assert "id:opdc-acp-2567/s1" in table
    assert "<https://example.org/ns#other>" in table
    assert "_:b1" in table
    assert "ยุทธศาสตร์ที่ ๑" in table
    assert "1500000" in table and "^^" not in table and "@th" not in table
    assert NONE_MARK in table.splitlines()[3]


def test_numbers_are_right_aligned() -> None:
    lines = render_table(THAI).splitlines()
    assert lines[4].endswith(" 12")


def test_long_cells_are_truncated_with_ellipsis_and_stay_aligned() -> None:
    lines = render_table(THAI, max_width=12).splitlines()
    assert len({wcswidth(line) for line in lines}) == 1
    assert any("…" in line for line in lines)
    assert all(wcswidth(cell.strip()) <= 12 for line in lines[2:] for cell in line.split(" | "))


@pytest.mark.parametrize("width", range(1, 12))
def test_truncate_keeps_thai_marks_with_their_base(width: int) -> None:
    text = "ที่ทำการน้ำใส"
    cut = truncate(text, width)
    assert wcswidth(cut) <= width
    if cut != text:
        assert cut.endswith("…")
        body = cut[:-1]
        assert text.startswith(body)
        next_char = text[len(body)] if len(body) < len(text) else ""
        assert not next_char or wcswidth(next_char) != 0  # no orphaned vowel or tone mark


def test_control_characters_do_not_break_layout() -> None:
    result = QueryResult(kind="select", variables=["v"],
                         rows=[{"v": Literal("line one\nline two\tand \x07 bell")}, {"v": None}])
    lines = render_table(result).splitlines()
    assert len(lines) == 4
    assert "line one↵line two and" in lines[2]
    assert len({wcswidth(line) for line in lines}) == 1


def test_short_iri() -> None:
    assert short_iri(str(PG.Plan)) == "pg:Plan"
    assert short_iri(str(PG)) == f"<{PG}>"
    assert short_iri("https://example.org/x") == "<https://example.org/x>"


def test_csv_uses_full_iris_and_lexical_values() -> None:
    rows = list(csv.reader(io.StringIO(render_csv(THAI))))
    assert rows[0] == ["element", "label", "amount"]
    assert rows[1] == [str(ID["opdc-acp-2567/s1"]), "ยุทธศาสตร์ที่ ๑ การป้องกันการทุจริต", "1500000"]
    assert rows[2][2] == ""
    assert rows[4][0] == "_:b1"


def test_csv_escapes_hostile_text() -> None:
    hostile = 'say "hi", then\nleave'
    result = QueryResult(kind="select", variables=["v"], rows=[{"v": Literal(hostile)}])
    assert list(csv.reader(io.StringIO(render_csv(result))))[1] == [hostile]


def test_json_matches_sparql_results_format() -> None:
    document = json.loads(render_json(THAI))
    assert document["head"] == {"vars": ["element", "label", "amount"]}
    bindings = document["results"]["bindings"]
    assert bindings[0] == {
        "element": {"type": "uri", "value": str(ID["opdc-acp-2567/s1"])},
        "label": {"type": "literal", "value": "ยุทธศาสตร์ที่ ๑ การป้องกันการทุจริต", "xml:lang": "th"},
        "amount": {"type": "literal", "value": "1500000", "datatype": str(XSD.integer)},
    }
    assert "amount" not in bindings[1]  # unbound → omitted
    assert bindings[2]["label"] == {"type": "literal", "value": "Plain English label"}
    assert bindings[3]["element"] == {"type": "bnode", "value": "b1"}


def test_ask_results() -> None:
    yes = QueryResult(kind="ask", boolean=True)
    assert render(yes, "table") == "true\n"
    assert render(QueryResult(kind="ask", boolean=False), "csv") == "false\n"
    assert json.loads(render(yes, "json")) == {"head": {}, "boolean": True}


def test_graph_results_render_as_turtle_and_jsonld() -> None:
    triples = [(EX.a, RDFS.label, Literal("ไทย", lang="th")), (EX.a, RDFS.seeAlso, URIRef(PG.Plan))]
    result = QueryResult(kind="graph", triples=triples)
    expected = Graph()
    for triple in triples:
        expected.add(triple)
    turtle = render(result, "table")
    assert "pg:Plan" in turtle
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), expected)
    assert isomorphic(Graph().parse(data=render(result, "json"), format="json-ld"), expected)


def test_empty_select_still_has_header() -> None:
    empty = QueryResult(kind="select", variables=["a", "b"])
    assert render_table(empty).splitlines()[0].split(" | ") == ["a", "b"]
    assert json.loads(render_json(empty))["results"]["bindings"] == []


def test_unknown_format() -> None:
    with pytest.raises(UnknownNameError, match="valid: csv, json, table"):
        render(THAI, "xml")


def test_dates_show_their_buddhist_era_form_in_tables_only() -> None:
    from rdflib import Literal as Lit
    from rdflib.namespace import XSD as X

    from policygraph.query.display import cell_text

    assert cell_text(Lit("2023-10-01", datatype=X.date)) == "2023-10-01 (1 ต.ค. 2566)"
    assert cell_text(Lit("2024-09-30", datatype=X.date)) == "2024-09-30 (30 ก.ย. 2567)"
