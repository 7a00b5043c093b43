"""A synthetic national dataset in the real ontology: every ministry's yearly plans, seeded.

It stands in for the real national scale (hundreds of agencies, years of plans, all master plans)
in tests and benchmarks. Everything it writes lives under ``id:synth/`` and its labels say
"สังเคราะห์" (synthetic), so it is never mistaken for a real plan.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rdflib import Literal

from policygraph.namespaces import ID, ORG, PG, RDF, SKOS, XSD

__all__ = ["PRESETS", "SynthSpec", "write_dataset"]

BASE = str(ID) + "synth/"
_RDF_TYPE, _LABEL = RDF.type, SKOS.prefLabel

#: Sizes that give about 100k, 1M and 5M triples.
PRESETS: dict[str, tuple[int, int]] = {"tiny": (6, 1), "100k": (90, 1), "1m": (300, 3),
                                       "5m": (300, 15)}

NS_STRATEGIES = (
    ("ยุทธศาสตร์ชาติด้านความมั่นคง", "Security"),
    ("ยุทธศาสตร์ชาติด้านการสร้างความสามารถในการแข่งขัน", "Competitiveness Enhancement"),
    ("ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์", "Human Capital"),
    ("ยุทธศาสตร์ชาติด้านการสร้างโอกาสและความเสมอภาคทางสังคม", "Social Cohesion and Equity"),
    ("ยุทธศาสตร์ชาติด้านการสร้างการเติบโตบนคุณภาพชีวิตที่เป็นมิตรต่อสิ่งแวดล้อม", "Eco-Friendly Growth"),
    ("ยุทธศาสตร์ชาติด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ", "Public Sector Rebalancing"),
)
_TOPICS = (("การท่องเที่ยว", "tourism"), ("เกษตร", "agriculture"), ("สาธารณสุข", "public health"),
           ("การศึกษา", "education"), ("ดิจิทัล", "digital services"), ("พลังงาน", "energy"),
           ("น้ำ", "water"), ("คมนาคม", "transport"), ("ความปลอดภัย", "safety"),
           ("การต่อต้านการทุจริต", "anti-corruption"), ("สิ่งแวดล้อม", "environment"),
           ("แรงงาน", "labour"), ("วัฒนธรรม", "culture"), ("การค้า", "trade"))
_ACTIONS = (("พัฒนา", "Developing"), ("ส่งเสริม", "Promoting"), ("ยกระดับ", "Upgrading"),
            ("สร้างการรับรู้", "Awareness of"), ("ขับเคลื่อน", "Driving"), ("ปรับปรุง", "Improving"))
_GROUPS = (("ประชาชน", "citizens"), ("ผู้ประกอบการ", "businesses"), ("เจ้าหน้าที่", "officials"),
           ("ชุมชน", "communities"), ("เยาวชน", "youth"))
_UNITS = ((PG.Percent, "ร้อยละ"), (PG.Count, "ครั้ง"), (PG.Score, "คะแนน"))


@dataclass(frozen=True)
class SynthSpec:
    """How much to make: agencies (spread over ~20 ministries), fiscal years, seed."""

    agencies: int = 300
    years: int = 1
    first_year: int = 2024
    seed: int = 2567
    master_plans: int = 23
    sub_plans: int = 140


class _Writer:
    """N-Triples lines (valid Turtle) to a file; blank nodes numbered per file."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.count, self._bnodes = out, 0, 0

    def add(self, s: str, p: object, o: object) -> None:
        obj = o if isinstance(o, str) and (o.startswith("<") or o.startswith("_:")) else \
            Literal(o).n3() if not isinstance(o, Literal) else o.n3()
        self.out.write(f"{s} <{p}> {obj} .\n")
        self.count += 1

    def iri(self, s: str, p: object, iri: object) -> None:
        self.add(s, p, f"<{iri}>")

    def bnode(self) -> str:
        self._bnodes += 1
        return f"_:b{self._bnodes}"

    def labels(self, s: str, th: str, en: str) -> None:
        self.add(s, _LABEL, Literal(th, lang="th"))
        self.add(s, _LABEL, Literal(en, lang="en"))

    def source(self, s: str, document: str, section: str) -> None:
        location = self.bnode()
        self.add(s, PG.sourceLocation, location)
        self.iri(location, PG.document, document)
        self.add(location, PG.section, Literal(section))


def _n(path: str) -> str:
    return f"<{BASE}{path}>"


def _national(w: _Writer, spec: SynthSpec, rng: random.Random) -> list[str]:
    """The Level-1 and Level-2 plans; returns the sub-plan target IRIs activities can serve."""
    doc = f"{BASE}doc/national"
    w.iri(f"<{doc}>", _RDF_TYPE, PG.SourceDocument)
    w.add(f"<{doc}>", URIRef_DC_TITLE, Literal("ชุดข้อมูลสังเคราะห์ระดับชาติ", lang="th"))
    w.iri(f"<{doc}>", PG.sourceKind, PG.SecondarySource)
    w.iri(_n("ns"), _RDF_TYPE, PG.Plan)
    w.iri(_n("ns"), PG.planLevel, PG.Level1)
    w.labels(_n("ns"), "ยุทธศาสตร์ชาติ (สังเคราะห์)", "National Strategy (synthetic)")
    for number, (th, en) in enumerate(NS_STRATEGIES, 1):
        node = _n(f"ns/s{number}")
        w.iri(node, _RDF_TYPE, PG.Strategy)
        w.iri(node, PG.partOf, f"{BASE}ns")
        w.labels(node, th, en)
        w.source(node, doc, "ยุทธศาสตร์ชาติ")
    targets: list[str] = []
    per_plan = [spec.sub_plans // spec.master_plans] * spec.master_plans
    for extra in range(spec.sub_plans - sum(per_plan)):
        per_plan[extra] += 1
    for number in range(1, spec.master_plans + 1):
        plan = _n(f"mp{number}")
        topic_th, topic_en = _TOPICS[number % len(_TOPICS)]
        w.iri(plan, _RDF_TYPE, PG.Plan)
        w.iri(plan, PG.planLevel, PG.Level2)
        w.labels(plan, f"แผนแม่บทภายใต้ยุทธศาสตร์ชาติ ประเด็น ({number}) {topic_th} (สังเคราะห์)",
                 f"Master plan ({number}) {topic_en} (synthetic)")
        _align(w, plan, f"{BASE}ns/s{rng.randint(1, 6)}", doc, stated=True, rng=rng)
        for sub in range(1, per_plan[number - 1] + 1):
            node, target = _n(f"mp{number}/sp{sub}"), _n(f"mp{number}/sp{sub}-target")
            w.iri(node, _RDF_TYPE, PG.SubPlan)
            w.iri(node, PG.partOf, plan[1:-1])
            w.labels(node, f"แผนย่อย{topic_th} ที่ {sub}", f"Sub-plan {sub}: {topic_en}")
            w.source(node, doc, f"แผนแม่บท {number}")
            w.iri(target, _RDF_TYPE, PG.Target)
            w.iri(target, PG.targetOf, node[1:-1])
            w.labels(target, f"เป้าหมายแผนย่อย{topic_th} ที่ {sub}", f"{topic_en} target {sub}")
            w.source(target, doc, f"แผนแม่บท {number}")
            targets.append(target[1:-1])
    w.iri(_n("nesdp13"), _RDF_TYPE, PG.Plan)
    w.iri(_n("nesdp13"), PG.planLevel, PG.Level2)
    w.labels(_n("nesdp13"), "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 13 (สังเคราะห์)",
             "NESDP 13 (synthetic)")
    for number in range(1, 14):
        node = _n(f"nesdp13/m{number}")
        w.iri(node, _RDF_TYPE, PG.Milestone)
        w.iri(node, PG.partOf, f"{BASE}nesdp13")
        w.labels(node, f"หมุดหมายที่ {number}", f"Milestone {number}")
        w.source(node, doc, "หมุดหมาย")
        _align(w, node, f"{BASE}ns/s{rng.randint(1, 6)}", doc, stated=True, rng=rng)
        targets.append(node[1:-1])
    return targets


URIRef_DC_TITLE = "http://purl.org/dc/terms/title"
_alignments = iter(range(1, 10**9))


def _align(w: _Writer, source: str, target: str, doc: str, *, stated: bool,
           rng: random.Random) -> None:
    node = _n(f"alignment/{next(_alignments)}")
    w.iri(node, _RDF_TYPE, PG.Alignment)
    w.iri(node, PG.fromElement, source.strip("<>"))
    w.iri(node, PG.toElement, target)
    w.iri(node, PG.basis, PG.Stated if stated else PG.Inferred)
    w.add(node, PG.evidence, Literal("ข้อความหลักฐานสังเคราะห์", lang="th"))
    location = w.bnode()
    w.add(node, PG.evidenceLocation, location)
    w.iri(location, PG.document, doc)
    w.add(location, PG.section, Literal(str(rng.randint(1, 4))))
    if not stated:
        w.add(node, PG.rationale, Literal("Synthetic inferred link.", lang="en"))
    w.iri(source if source.startswith("<") else f"<{source}>", PG.supports, target)


def _organisations(w: _Writer, spec: SynthSpec) -> list[tuple[str, list[str]]]:
    agencies = []
    ministries = max(1, min(20, spec.agencies // 15 or 1))
    for m in range(1, ministries + 1):
        ministry = _n(f"org/ministry-{m}")
        w.iri(ministry, _RDF_TYPE, ORG.Organization)
        w.labels(ministry, f"กระทรวงสังเคราะห์ที่ {m}", f"Synthetic ministry {m}")
    for a in range(1, spec.agencies + 1):
        agency = _n(f"org/agency-{a}")
        w.iri(agency, _RDF_TYPE, ORG.Organization)
        w.iri(agency, ORG.subOrganizationOf, f"{BASE}org/ministry-{(a - 1) % ministries + 1}")
        w.labels(agency, f"กรมสังเคราะห์ที่ {a}", f"Synthetic department {a}")
        units = []
        for u in range(1, 4):
            unit = _n(f"org/agency-{a}-unit-{u}")
            w.iri(unit, _RDF_TYPE, ORG.OrganizationalUnit)
            w.iri(unit, ORG.unitOf, agency[1:-1])
            w.labels(unit, f"กองที่ {u} กรมสังเคราะห์ที่ {a}", f"Division {u}, department {a}")
            units.append(unit[1:-1])
        agencies.append((agency[1:-1], units))
    return agencies


def _agency_plan(w: _Writer, agency: int, units: list[str], org: str, year: int,
                 targets: list[str], rng: random.Random) -> None:
    be = year + 543
    key = f"agency-{agency}/{year}"
    plan, doc = _n(key), f"{BASE}doc/{key}"
    w.iri(f"<{doc}>", _RDF_TYPE, PG.SourceDocument)
    w.add(f"<{doc}>", URIRef_DC_TITLE, Literal(f"แผนปฏิบัติราชการ พ.ศ. {be} กรมสังเคราะห์ที่ {agency}",
                                               lang="th"))
    w.iri(f"<{doc}>", PG.sourceKind, PG.PrimarySource)
    w.iri(plan, _RDF_TYPE, PG.Plan)
    w.iri(plan, PG.planLevel, PG.Level3)
    w.iri(plan, PG.issuedBy, org)
    w.labels(plan, f"แผนปฏิบัติราชการประจำปีงบประมาณ พ.ศ. {be} กรมสังเคราะห์ที่ {agency}",
             f"Action plan FY B.E. {be}, synthetic department {agency}")
    w.add(plan, PG.fiscalYear, Literal(str(year), datatype=XSD.gYear))
    w.add(plan, PG.startDate, Literal(f"{year - 1}-10-01", datatype=XSD.date))
    w.add(plan, PG.endDate, Literal(f"{year}-09-30", datatype=XSD.date))
    _align(w, plan, f"{BASE}ns/s{rng.randint(1, 6)}", doc, stated=True, rng=rng)
    sequence = 0
    for s in range(1, rng.randint(2, 4) + 1):
        strategy = _n(f"{key}/s{s}")
        topic_th, topic_en = rng.choice(_TOPICS)
        w.iri(strategy, _RDF_TYPE, PG.Strategy)
        w.iri(strategy, PG.partOf, plan[1:-1])
        w.labels(strategy, f"ยุทธศาสตร์ด้าน{topic_th}", f"Strategy: {topic_en}")
        w.source(strategy, doc, "4")
        for t in range(1, rng.randint(1, 3) + 1):
            tactic = _n(f"{key}/s{s}-t{t}")
            w.iri(tactic, _RDF_TYPE, PG.Tactic)
            w.iri(tactic, PG.partOf, strategy[1:-1])
            w.labels(tactic, f"กลยุทธ์{topic_th} ที่ {t}", f"Tactic {t}: {topic_en}")
            w.source(tactic, doc, "4")
            for _ in range(rng.randint(2, 5)):
                sequence += 1
                _activity(w, f"{key}/s{s}-a{sequence}", tactic[1:-1], year, units, doc,
                          targets, (topic_th, topic_en), rng)


def _activity(w: _Writer, key: str, tactic: str, year: int, units: list[str], doc: str,
              targets: list[str], topic: tuple[str, str], rng: random.Random) -> None:
    node = _n(key)
    action_th, action_en = rng.choice(_ACTIONS)
    group_th, group_en = rng.choice(_GROUPS)
    project = rng.random() < 0.4
    w.iri(node, _RDF_TYPE, PG.Project if project else PG.Activity)
    w.iri(node, PG.partOf, tactic)
    w.labels(node, f"{'โครงการ' if project else 'กิจกรรม'}{action_th}{topic[0]}สำหรับ{group_th}",
             f"{action_en} {topic[1]} for {group_en}")
    w.source(node, doc, "4")
    for unit in rng.sample(units, rng.randint(1, 2)):
        w.iri(node, PG.responsibleUnit, unit)
    indicator, (unit_iri, unit_th) = _n(f"{key}-i1"), rng.choice(_UNITS)
    value = rng.choice((50, 70, 80, 85, 90)) if unit_iri != PG.Count else rng.randint(1, 20)
    w.iri(indicator, _RDF_TYPE, PG.Indicator)
    w.iri(indicator, PG.indicatorOf, node[1:-1])
    w.labels(indicator, f"ผลการ{action_th}{topic[0]}", f"Result of {action_en.lower()}")
    w.add(indicator, PG.targetText, Literal(f"ไม่น้อยกว่า {value} {unit_th}", lang="th"))
    w.iri(indicator, PG.comparator, PG.AtLeast)
    w.add(indicator, PG.targetValue, Literal(f"{value}.0", datatype=XSD.decimal))
    w.iri(indicator, PG.unit, unit_iri)
    w.source(indicator, doc, "4")
    budget, draw = _n(f"{key}-budget"), rng.random()
    w.iri(node, PG.budget, budget[1:-1])
    w.iri(budget, _RDF_TYPE, PG.Budget)
    w.add(budget, PG.fiscalYear, Literal(str(year), datatype=XSD.gYear))
    if draw < 0.7:
        w.iri(budget, PG.budgetStatus, PG.BudgetStated)
        w.add(budget, PG.amount, Literal(f"{rng.randint(1, 400) * 25000}.0", datatype=XSD.decimal))
        w.add(budget, PG.currency, Literal("THB"))
    else:
        w.iri(budget, PG.budgetStatus, PG.NoBudget if draw < 0.9 else PG.BudgetNotStated)
    schedule = _n(f"{key}-schedule")
    start_month = rng.randint(0, 8)
    end_month = rng.randint(start_month, 11)
    w.iri(node, PG.schedule, schedule[1:-1])
    w.iri(schedule, _RDF_TYPE, PG.Schedule)
    w.add(schedule, PG.startDate, Literal(_month_start(year, start_month), datatype=XSD.date))
    w.add(schedule, PG.endDate, Literal(_month_end(year, end_month), datatype=XSD.date))
    for target in rng.sample(targets, rng.randint(1, 3)):
        _align(w, node, target, doc, stated=rng.random() < 0.6, rng=rng)


def _month(year: int, offset: int) -> tuple[int, int]:
    """Month ``offset`` of fiscal year ``year`` (0 = October of the year before)."""
    month = (9 + offset) % 12 + 1
    return (year - 1 if month >= 10 else year), month


def _month_start(year: int, offset: int) -> str:
    y, m = _month(year, offset)
    return f"{y}-{m:02d}-01"


def _month_end(year: int, offset: int) -> str:
    y, m = _month(year, offset)
    days = (31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[m - 1]
    return f"{y}-{m:02d}-{days}"


def write_dataset(spec: SynthSpec, directory: Path) -> Iterator[tuple[Path, int]]:
    """Write ``synth-national.ttl`` and one ``synth-plans-<year>.ttl`` per fiscal year.

    Yields each file written with its number of triples (pg:supports included, as loading
    would derive it). The same spec always writes the same bytes.
    """
    global _alignments
    _alignments = iter(range(1, 10**9))
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(spec.seed)
    national = directory / "synth-national.ttl"
    with national.open("w", encoding="utf-8") as out:
        writer = _Writer(out)
        targets = _national(writer, spec, rng)
        agencies = _organisations(writer, spec)
    yield national, writer.count
    # As in the real plans, some national targets have no agency behind them (coverage gaps),
    # and each agency serves a handful of targets close to its mission.
    served = rng.sample(targets, int(len(targets) * 0.85))
    portfolios = [rng.sample(served, 8) for _ in agencies]
    for year in range(spec.first_year, spec.first_year + spec.years):
        path = directory / f"synth-plans-{year}.ttl"
        with path.open("w", encoding="utf-8") as out:
            writer = _Writer(out)
            for number, (agency, units) in enumerate(agencies, 1):
                _agency_plan(writer, number, units, agency, year, portfolios[number - 1], rng)
        yield path, writer.count
