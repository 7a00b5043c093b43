"""Element pages, reports, ontology documentation and the JSON API, through the app's client."""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from policygraph.namespaces import ID, PG
from tests.helpers import canonical, synthetic_store

S1A3 = "/id/opdc-acp-2567/s1-a3"


def read_csv(text: str) -> list[dict[str, str]]:
    """Rows of a CSV download (which starts with a BOM for spreadsheet programs)."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_element_page_shows_everything_about_a_project(client: Any) -> None:
    page = client.get(S1A3 + "?lang=th")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "โครงการการพัฒนาศูนย์บริการครบวงจรแบบเบ็ดเสร็จ" in text
    assert "One-stop service centre development project" in text  # the other language below
    assert "9,460,600.00 บาท" in text and "9,460,600 ¹" in text  # amount and the cell as printed
    assert "1 ต.ค. 2566 (ระบุเพียงเดือน) – 30 ก.ย. 2567" in text  # Buddhist era, precision
    assert "กองขับเคลื่อนรัฐบาลดิจิทัล" in text
    assert "จำนวนไม่น้อยกว่า 10 กระทรวง" in text and "≥ 10" in text
    # Its alignment, with basis, evidence, location and the analyst's rationale.
    assert "อนุมานโดยผู้วิเคราะห์" in text and "§2 ระดับที่ 2 ข้อ 2)" in text
    assert "Designing digital one-stop services" in text
    # The trace to Level 1: national strategy 6 reached through stated links.
    reached = re.search(r'<table id="reached">(.*?)</table>', page.text, re.S)
    assert reached and "ยุทธศาสตร์ชาติด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ" in reached.group(1)
    # Parent chain (breadcrumb) down from the plan.
    assert text.index("แผนปฏิบัติการต่อต้านการทุจริต") < text.index("สร้างกลไกการดำเนินงาน")


def test_not_stated_budget_is_shown_as_such(client: Any) -> None:
    text = text_of(client.get("/id/opdc-acp-2567/s2-a5?lang=en").text)
    assert "Budget not stated" in text and "0.00" not in text
    assert "No budget used" in text_of(client.get("/id/opdc-acp-2567/s2-a4?lang=en").text)


@pytest.mark.parametrize("path", [
    "/id/opdc-acp-2567", "/id/opdc-acp-2567/s1", "/id/mp21/target", "/id/opdc-acp-2567/s1-a3-i2",
    "/id/org/opdc-digital-government-division", "/id/ns/s6", "/id/measure/cpi"])
def test_every_kind_of_element_has_a_page(client: Any, path: str) -> None:
    assert client.get(path + "?lang=en").status_code == 200


def test_unit_page_lists_its_work(client: Any) -> None:
    text = text_of(client.get("/id/org/opdc-digital-government-division?lang=en").text)
    assert "One-stop service centre development project" in text
    assert "Project to promote electronic government administration" in text


def test_linked_data_content_negotiation(client: Any) -> None:
    turtle = client.get(S1A3, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    assert "Accept" in turtle.headers["vary"]
    graph = Graph().parse(data=turtle.text, format="turtle")
    iri = URIRef(str(ID) + "opdc-acp-2567/s1-a3")
    assert (iri, PG.partOf, URIRef(str(ID) + "opdc-acp-2567/s1-t2")) in graph
    jsonld = client.get(S1A3, headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    from_jsonld = Graph().parse(data=jsonld.text, format="json-ld")
    assert isomorphic(canonical(graph), canonical(from_jsonld))
    assert client.get(S1A3 + "?format=ttl").text == turtle.text
    html = client.get(S1A3, headers={"Accept": "text/html,application/xhtml+xml;q=0.9"})
    assert html.headers["content-type"].startswith("text/html")
    assert client.get(S1A3, headers={"Accept": "image/png"}).status_code == 406


def test_unknown_and_malformed_elements(client: Any) -> None:
    assert client.get("/id/no-such-thing").status_code == 404
    assert client.get("/id/no-such-thing", headers={"Accept": "text/turtle"}).status_code == 404
    bad = client.get("/resource", params={"iri": "not an iri <x>"})
    assert bad.status_code == 400 and "&lt;x&gt;" in bad.text


def test_coverage_report(client: Any) -> None:
    page = client.get("/reports/coverage?lang=en&level=2")
    assert page.status_code == 200
    gaps = re.findall(r'<tr class="gap" data-element="([^"]+)"', page.text)
    assert {g.rsplit("/id/", 1)[1] for g in gaps} == {"mp21/sp2", "mp21/sp2-target"}
    rows = read_csv(client.get("/reports/coverage.csv?lang=en").text)
    covered = {r["element"].rsplit("/id/", 1)[1]: r for r in rows}
    assert covered["mp21/sp1-target"]["workItems"] == "6"
    assert "Honouring role models" in covered["mp21/sp1-target"]["work"]
    assert client.get("/reports/coverage?level=7").status_code == 422


def test_budget_report_and_csv(client: Any) -> None:
    page = text_of(client.get("/reports/budget?lang=en&plan=id:mp21").text)
    assert "1,814,000.00" in page and "12,512,400.00" in page
    rows = read_csv(client.get("/reports/budget.csv?plan=id:opdc-strategy").text)
    by = {r["element"].rsplit("/id/", 1)[1]: r for r in rows}
    assert by["opdc-strategy/s4-1"]["statedTotal"] in ("10698400", "10698400.0")
    assert by["opdc-strategy/s4-2"]["notStated"] == "1"
    bad = client.get("/reports/budget", params={"plan": "<script>alert(1)</script>"})
    assert bad.status_code == 400 and "<script>alert(1)" not in bad.text


def test_orphans_and_timeline(client: Any) -> None:
    assert 'id="no-orphans"' in client.get("/reports/orphans").text
    page = client.get("/reports/timeline?lang=th")
    assert "ต.ค. 66" in page.text and "ก.ย. 67" in page.text  # the plan's own month grid
    bars = re.findall(r'class="bar" style="left: ([\d.]+)%; width: ([\d.]+)%"', page.text)
    assert len(bars) == 10
    assert ("0.0", "100.0") in bars  # activities running the whole fiscal year
    timeline = client.get("/api/timeline").json()
    s2a1 = next(b for b in timeline if b["iri"].endswith("s2-a1"))
    assert (s2a1["start"], s2a1["end"]) == ("2023-11-01", "2024-04-30")


def test_api(client: Any) -> None:
    trace = client.get("/api/trace", params={"element": "ศูนย์บริการครบวงจร", "lang": "en"}).json()
    assert trace["element"].endswith("opdc-acp-2567/s1-a3")
    assert str(ID) + "ns/s6" in trace["level1"]
    first = trace["chains"][0]
    assert {"from", "relation", "to", "basis", "evidence", "location"} <= set(first[0])
    down = client.get("/api/trace/down", params={"target": "id:mp21/sp1-target"}).json()
    assert sum(1 for r in down if r["kind"] in (str(PG.Project), str(PG.Activity))) == 6
    coverage = client.get("/api/coverage", params={"level": "1"}).json()
    assert sum(1 for r in coverage if r["gap"]) == 7
    budget = client.get("/api/budget", params={"plan": "id:ns"}).json()
    assert next(r for r in budget if r["element"].endswith("ns/s6"))["notStated"] == 1
    assert client.get("/api/orphans").json() == []
    found = client.get("/api/search", params={"q": "ONE-STOP"}).json()
    assert [r["element"] for r in found] == [str(ID) + "opdc-acp-2567/s1-a3"]
    assert client.get("/api/trace", params={"element": "zzzz-nothing"}).status_code == 404
    ambiguous = client.get("/api/trace", params={"element": "กิจกรรม"})
    assert ambiguous.status_code == 400 and "use one of these IRIs" in ambiguous.json()["detail"]
    assert client.get("/api/search", params={"q": ""}).status_code == 422


def test_openapi_documents_the_api_offline(client: Any) -> None:
    spec = client.get("/api/openapi.json").json()
    for path in ("/api/trace", "/api/trace/down", "/api/coverage", "/api/orphans", "/api/budget",
                 "/api/search"):
        assert path in spec["paths"]
    docs = client.get("/api/docs").text
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', docs)
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_ontology_documentation(client: Any) -> None:
    page = client.get("/ontology?lang=th")
    assert page.status_code == 200
    assert 'id="Alignment"' in page.text and "ความเชื่อมโยง" in page.text
    assert "qualified link" in page.text  # the English definition beside the Thai one
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert len(Graph().parse(data=turtle.text, format="turtle")) > 800


def test_hostile_labels_are_escaped_everywhere(hostile_client: Any) -> None:
    pages = [
        hostile_client.get("/id/hostile?lang=th").text,
        hostile_client.get("/id/hostile/s1?lang=en").text,
        hostile_client.get("/id/ns/s6?lang=th").text,  # lists the hostile alignment into it
        hostile_client.get("/reports/coverage?lang=th").text,
        hostile_client.get("/?lang=th").text,
    ]
    for page in pages:
        assert "<script>alert" not in page and "<b>bold</b>" not in page and "<i>x</i>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in pages[0]
    assert "Strategy &lt;b&gt;bold&lt;/b&gt; &amp; &#39;quote&#39;" in pages[1]
    assert "&lt;i&gt;x&lt;/i&gt;" in pages[2]
    found = hostile_client.get("/api/search", params={"q": "DROP"}).json()
    assert "ยุทธศาสตร์ { } } { '; DROP GRAPH <x>" in {r["label"] for r in found}


def test_two_clicks_from_search_to_the_national_targets_and_evidence(client: Any) -> None:
    # Every page has the search box; the results link to element pages, which show the trace.
    assert 'action="/search"' in client.get("/?lang=th").text
    results = client.get("/search", params={"q": "ยกย่องเชิดชู", "lang": "th"}).text
    links = re.findall(r'<a href="(/id/[^"?]+)\?lang=th">', results)
    assert links == ["/id/opdc-acp-2567/s2-a3"]
    page = client.get(links[0] + "?lang=th").text
    reached = re.search(r'<table id="reached">(.*?)</table>', page, re.S)
    assert reached and "ยุทธศาสตร์ชาติด้านความมั่นคง" in reached.group(1)
    assert 'class="evidence"' in page
    assert "Nothing matches." in client.get("/search", params={"q": "zzzz", "lang": "en"}).text
    escaped = client.get("/search", params={"q": "<script>x</script>"}).text
    assert "<script>x</script>" not in escaped and "&lt;script&gt;x&lt;/script&gt;" in escaped


def _suggested(client: Any, url: str) -> str:
    """The page once the suggestion index is ready: the first ask only starts reading it."""
    page = client.get(url).text
    if 'id="suggestions-preparing"' in page:
        service = client.app.state.suggestions
        for _ in range(1200):  # a bound, not a timing: the index of the bundled store
            if service.ready() or service.error:
                break
            time.sleep(0.1)
        assert service.ready(), service.error
        page = client.get(url).text
    return page


def test_suggestions_on_request_are_shown_and_never_written(
    client: Any, bundled_store: Any
) -> None:
    before = bundled_store.triple_count()
    plain = client.get("/id/opdc-acp-2567/s2-a5?lang=en").text
    assert "suggest=true" in plain and "shared terms" not in plain  # it has its own alignment
    page = _suggested(client, "/id/opdc-acp-2567/s2-a5?lang=en&suggest=true")
    ranked = re.search(r'<h2 id="suggestions">.*?<ol>(.*?)</ol>', page, re.S)
    assert ranked and ranked.group(1).count("<li>") >= 1
    assert "shared terms" in ranked.group(1)
    assert "policygraph suggest https://w3id.org/policygraph/id/opdc-acp-2567/s2-a5" in page
    assert bundled_store.triple_count() == before


SYNTH = "https://w3id.org/policygraph/id/synth/"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app on a small synthetic national store: none of the bundled plans in it."""
    from fastapi.testclient import TestClient

    from policygraph.settings import Settings
    from policygraph.web.app import create_app

    with synthetic_store(tmp_path_factory.mktemp("synthetic-pages"), agencies=4, years=2) as store:
        app = create_app(Settings(store=Path("/nonexistent-store-unused")), store=store)
        with TestClient(app) as test_client:
            yield test_client


def test_report_defaults_come_from_the_store(synthetic: Any) -> None:
    page = synthetic.get("/reports/budget?lang=en")
    assert page.status_code == 200
    assert re.search(rf'<option value="{re.escape(SYNTH)}ns" selected>', page.text)
    budget = synthetic.get("/api/budget").json()
    assert budget and budget == synthetic.get("/api/budget", params={"plan": SYNTH + "ns"}).json()
    assert all(row["element"].startswith(SYNTH) for row in budget)
    timeline = synthetic.get("/api/timeline").json()
    assert timeline and all(bar["iri"].startswith(SYNTH) for bar in timeline)
    chosen = re.search(r'<option value="([^"]+)" selected>([^<]*)</option>',
                       synthetic.get("/reports/timeline?lang=en").text)
    assert chosen is not None and "B.E. 2568" in chosen.group(2)  # the latest fiscal year, 2025
    assert timeline == synthetic.get("/api/timeline", params={"plan": chosen.group(1)}).json()
    assert "id:opdc" not in page.text and "opdc-acp-2567" not in synthetic.get(
        "/reports/timeline").text


def test_reports_on_an_empty_store_are_empty_not_errors() -> None:
    from fastapi.testclient import TestClient

    from policygraph.settings import Settings
    from policygraph.store import OxigraphStore
    from policygraph.web.app import create_app

    with OxigraphStore() as empty, TestClient(create_app(
            Settings(store=Path("/nonexistent-store-unused")), store=empty)) as client:
        for path in ("/reports/budget", "/reports/timeline", "/reports/budget.csv"):
            assert client.get(path).status_code == 200, path
        assert client.get("/api/budget").json() == [] == client.get("/api/timeline").json()


def test_coverage_report_pages_through_every_target(synthetic: Any) -> None:
    """A national store's coverage is read a page at a time: following "next" from the first
    page meets every target of the coverage query once, counts beside the lists; a target with
    more work items than the page lists links to all of them."""
    from policygraph.web.views.report import COVERAGE_PAGE_SIZE, LISTED_WORK

    every = synthetic.get("/api/coverage", params={"lang": "en"}).json()
    assert len(every) > 2 * COVERAGE_PAGE_SIZE
    seen: list[str] = []
    url, pages = "/reports/coverage?lang=en", 0
    while url:
        page = synthetic.get(url.replace("&amp;", "&"))
        assert page.status_code == 200
        pages += 1
        rows = re.findall(r'<tr class="(gap|)" data-element="([^"]+)">(.*?)</tr>', page.text,
                          re.S)
        assert 0 < len(rows) <= COVERAGE_PAGE_SIZE
        seen += [element for _, element, _ in rows]
        for gap, element, cells in rows:
            count = next(r["workItems"] for r in every if r["element"] == element)
            assert (gap == "gap") == (count == 0)
            if count > LISTED_WORK:
                link = re.search(r'<a class="all-work" href="([^"]+)">([\d,]+) —', cells)
                assert link and int(link[2].replace(",", "")) == count
            elif count:
                assert cells.count('href="/id/') == count + 1  # the target and its work items
        assert f"{len(every):,}</strong> targets" in page.text
        found = re.search(r'<a rel="next" href="([^"]+)"', page.text)
        url = "/reports/coverage" + found[1] if found else ""
    assert seen == [row["element"] for row in every] and pages == -(-len(every) // 100)
    last = synthetic.get("/reports/coverage", params={"lang": "en", "page": 10_000})
    assert last.status_code == 200 and f"page {pages} of {pages}" in last.text
    assert synthetic.get("/reports/coverage", params={"page": 0}).status_code == 422
    assert synthetic.get("/reports/coverage", params={"page": "x"}).status_code == 422
    counts = Counter(str(row["level"]) for row in every)
    level = max(counts, key=counts.__getitem__)
    assert counts[level] > COVERAGE_PAGE_SIZE
    first = synthetic.get("/reports/coverage", params={"lang": "en", "level": level}).text
    assert f'rel="next" href="?lang=en&amp;page=2&amp;level={level}"' in first
    assert f"{counts[level]:,}</strong> targets" in first


def test_a_coverage_count_links_to_the_work_items_it_counts(synthetic: Any) -> None:
    from policygraph.web.views.report import LISTED_WORK

    every = synthetic.get("/api/coverage", params={"lang": "en"}).json()
    big = max(every, key=lambda row: row["workItems"])
    assert big["workItems"] > LISTED_WORK
    page = synthetic.get("/query", params={"name": "supporting-work", "element": big["element"],
                                           "lang": "en"})
    assert page.status_code == 200
    listed = set(re.findall(r'<a href="(/id/[^"?]+)', page.text))
    assert {w["iri"].split("/policygraph", 1)[1] for w in big["work"]} <= listed


def test_the_suggestions_api_says_when_to_come_back(client: Any) -> None:
    """503 with Retry-After while the index is read (the first ask only starts it), then the
    ranked targets; an element it cannot resolve is a 404 with a message."""
    url = "/api/suggestions?element=id:opdc-acp-2567/s2-a5&limit=3"
    _suggested(client, "/id/opdc-acp-2567/s2-a5?lang=en&suggest=true")  # the index is ready
    ranked = client.get(url)
    assert ranked.status_code == 200
    rows = ranked.json()
    assert 1 <= len(rows) <= 3 and all(row["score"] > 0 and row["shared"] for row in rows)
    assert client.get("/api/suggestions?element=id:opdc-acp-2567/s2-a5&limit=99"
                      ).status_code == 422
    missing = client.get("/api/suggestions?element=id:nowhere/at-all")
    assert missing.status_code in (400, 404) and "nowhere" in missing.text


def test_the_suggestions_api_is_503_before_the_index_is_ready(bundled_store: Any) -> None:
    from fastapi.testclient import TestClient

    from policygraph.settings import Settings
    from policygraph.web.app import create_app

    app = create_app(Settings(store=Path("/nonexistent-store-unused")), store=bundled_store)
    with TestClient(app) as fresh:
        first = fresh.get("/api/suggestions?element=id:opdc-acp-2567/s2-a5")
        assert first.status_code == 503 and first.headers["Retry-After"] == "2"
        assert "being prepared" in first.json()["detail"]
