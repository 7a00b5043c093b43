"""Compile SHACL shapes (:mod:`policygraph.shacl.shapes`) to SPARQL SELECT queries.

Each constraint of a shape with targets becomes one query over the validation dataset (the
default graph being the union of the data and its context) whose rows are the constraint's
violations: ``?this`` the focus node, ``?v`` the value node when results name one. Where
pySHACL decides with Python semantics that SPARQL does not share (ill-typed literals,
``sh:pattern`` regular expressions, literal comparisons), the query only leaves out the rows
that certainly conform and :mod:`policygraph.shacl.literals` decides the rest exactly as pySHACL
does (:attr:`Check.decide`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from policygraph.errors import QueryError
from policygraph.shacl.shapes import Constraint, PathSpec, Shape, SparqlCheck, UnsupportedShapes
from policygraph.store.remote.sparql import sparql_term as remote_sparql_term

__all__ = ["Check", "ClassClosure", "compile_checks", "sparql_term"]

#: The classes whose instances count as instances of a class (itself and its subclasses).
ClassClosure = Callable[[URIRef], Sequence[URIRef]]

# Lexical forms rdflib certainly reads as a value of the datatype (so pySHACL accepts them).
_SAFE_LEXICAL = {
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?[0-9]+(\\.[0-9]+)?$",
    XSD.gYear: r"^[1-9][0-9]{3}$",
}
_ALWAYS_SAFE = {XSD.string, RDF.langString}
_PLAIN_DATE = r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$"
_NUMBER = r"^[+-]?[0-9]+(\\.[0-9]+)?$"


@dataclass(frozen=True)
class Test:
    """One constraint inside a :class:`Check`: which projected flag says it failed, and how.

    Attributes:
        var: The projected variable (without ``?``), false or unbound when the test failed.
        shape: The named node shape results are reported under.
        severity: "violation", "warning" or "info".
        messages: The result messages by language tag.
        path: The result path (an IRI or a blank node for inverse paths), or None.
        value: What the result's value is: "none", "focus" (the focus node) or "v" (``?v``).
        decide: Set when the row is only a candidate: the constraint whose rule
            :mod:`policygraph.shacl.literals` applies (``?v``, and ``?w`` for a comparison).
        unique_lang: For ``sh:uniqueLang``, the path whose values to group by language
            (one result per repeated language, as pySHACL reports).
    """

    var: str
    shape: str
    severity: str
    messages: tuple[tuple[str | None, str], ...]
    path: Node | None = None
    value: str = "none"
    decide: Constraint | None = None
    unique_lang: PathSpec | None = None


@dataclass(frozen=True)
class Check:
    """One query checking a shape: its rows are (focus, branch, value) with failed flags.

    Every row binds ``?this`` (the focus node) and ``?b`` (the branch number: -1 for tests on
    the focus node, else one per property path), ``?v`` in value branches and ``?w`` for
    comparisons; ``tests[b]`` lists the flags of branch ``b``.
    For ``sh:sparql`` constraints, ``sparql`` is set instead and ``focus`` lists the focus nodes.
    """

    query: str
    tests: dict[int, tuple[Test, ...]]
    sparql: SparqlCheck | None = None
    focus: str = ""
    sparql_test: Test | None = None


def sparql_term(term: Node) -> str:
    """An rdflib IRI or literal as SPARQL text, written by the remote store's escaper."""
    try:
        return remote_sparql_term(term)
    except QueryError as exc:
        raise UnsupportedShapes(f"{term!r} cannot be a constant in SPARQL: {exc}") from None


def _string(text: str) -> str:
    return sparql_term(Literal(text))


def compile_checks(shapes: Sequence[Shape], classes: ClassClosure) -> list[Check]:
    """Every check of ``shapes`` (shapes with targets, see :func:`reporting_shapes`).

    Raises:
        UnsupportedShapes: For a constraint used where the compiler cannot express it, or a
            result that would have no message.
    """
    checks: list[Check] = []
    for shape in shapes:
        checks.extend(_Compiler(classes).shape_checks(shape))
    return checks


class _Branches:
    """The tests of one shape, grouped into two queries (forms pyoxigraph evaluates well).

    Branch -1 tests the focus node itself: its flags are BINDs right after the focus nodes.
    Each other branch is a pattern binding ``?this`` and ``?v`` (and ``?w``): a UNION branch
    with its own flags inside, joined with the focus nodes.
    """

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.flags: list[tuple[int, str, Test]] = []

    def flag(self, pattern: str, expression: str, test: Test) -> None:
        if pattern not in self.ids:  # -1: the focus node itself; 0, 1, …: value branches
            self.ids[pattern] = sum(1 for known in self.ids if known) if pattern else -1
        branch = self.ids[pattern]
        named = Test(f"t{len(self.flags) + 1}", test.shape, test.severity, test.messages,
                     test.path, test.value, test.decide, test.unique_lang)
        self.flags.append((branch, f"COALESCE({expression}, false)", named))

    def _tests(self, branch: int) -> tuple[str, str, str]:
        mine = [(e, t) for b, e, t in self.flags if b == branch]
        binds = " ".join(f"BIND({e} AS ?{t.var})" for e, t in mine)
        failed = " || ".join(f"!?{t.var}" for _, t in mine)
        return binds, f"FILTER({failed})", " ".join(f"?{t.var}" for _, t in mine)

    def queries(self, focus: str) -> Iterator[tuple[str, dict[int, tuple[Test, ...]]]]:
        grouped: dict[int, list[Test]] = {}
        for b, _, t in self.flags:
            grouped.setdefault(b, []).append(t)
        if -1 in grouped:
            binds, test, flags = self._tests(-1)
            yield (f"SELECT ?this (-1 AS ?b) {flags} WHERE {{ {focus} {binds} {test} }}",
                   {-1: tuple(grouped[-1])})
        values = {p: b for p, b in self.ids.items() if b >= 0}
        if values:
            branches: list[str] = []
            projected: list[str] = []
            for pattern, b in values.items():
                binds, test, names = self._tests(b)
                branches.append(f"{{ BIND({b} AS ?b) {pattern} {binds} {test} }}")
                projected.append(names)
            yield (f"SELECT DISTINCT ?this ?b ?v ?w {' '.join(projected)} WHERE {{ {focus} "
                   f"{' UNION '.join(branches)} }}",
                   {b: tuple(grouped[b]) for b in values.values()})


class _Compiler:
    def __init__(self, classes: ClassClosure) -> None:
        self.classes = classes
        self.count = 0

    def var(self) -> str:
        self.count += 1
        return f"?_{self.count}"

    # Focus nodes and values -------------------------------------------------------------

    def focus(self, shape: Shape) -> str:
        branches = []
        for kind, target in shape.targets:
            if kind == "class" and isinstance(target, URIRef):
                values = " ".join(sparql_term(c) for c in self.classes(target))
                branches.append(f"{{ VALUES ?_k {{ {values} }} ?this a ?_k }}")
            elif kind == "subjectsOf":
                branches.append(f"{{ ?this {sparql_term(target)} ?_o }}")
            elif kind == "objectsOf":
                branches.append(f"{{ ?_s {sparql_term(target)} ?this }}")
            elif kind == "node":
                branches.append(f"{{ VALUES ?this {{ {sparql_term(target)} }} }}")
            else:
                raise UnsupportedShapes(f"{shape.node}: target {kind} {target} is not supported")
        return f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(branches)} }} }}"

    @staticmethod
    def value(path: PathSpec, node: str, value: str) -> str:
        predicate = sparql_term(URIRef(path.predicate))
        return f"{value} {predicate} {node} ." if path.inverse else f"{node} {predicate} {value} ."

    # Conformance of a term to a (nested) shape, as a SPARQL expression -------------------

    def conforms(self, shape: Shape, node: str) -> str:
        parts = []
        if shape.path is not None:
            parts.append(self.property_conforms(shape, node))
        else:
            parts += [self.test(c, node) for c in shape.constraints]
        parts += [self.property_conforms(p, node) for p in shape.properties]
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def property_conforms(self, shape: Shape, node: str) -> str:
        path = shape.path
        if path is None or shape.properties:
            raise UnsupportedShapes(f"{shape.node}: nested property shapes need a path and no "
                                    "sh:property of their own")
        parts = []
        for c in shape.constraints:
            y = self.var()
            if c.kind == "minCount" and c.value in (0, 1):
                if c.value == 1:
                    parts.append(f"EXISTS {{ {self.value(path, node, y)} }}")
            elif c.kind == "maxCount" and c.value == 0:
                parts.append(f"NOT EXISTS {{ {self.value(path, node, y)} }}")
            elif c.kind == "hasValue" and isinstance(c.value, (URIRef, Literal)):
                parts.append(f"EXISTS {{ {self.value(path, node, sparql_term(c.value))} }}")
            elif c.kind in _VALUE_TESTS:
                test = self.test(c, y)
                parts.append(f"NOT EXISTS {{ {self.value(path, node, y)} FILTER(!{test}) }}")
            else:
                raise UnsupportedShapes(f"{shape.node}: sh:{c.kind} {c.value} is not supported "
                                        "inside sh:or, sh:xone or sh:qualifiedValueShape")
        return "(" + " && ".join(parts) + ")" if parts else "true"

    def test(self, c: Constraint, node: str) -> str:
        """A boolean expression: does the term ``node`` satisfy the value constraint ``c``."""
        if c.kind == "class" and isinstance(c.value, URIRef):
            t = self.var()
            values = ", ".join(sparql_term(k) for k in self.classes(c.value))
            return f"EXISTS {{ {node} a {t} FILTER({t} IN ({values})) }}"
        if c.kind == "in" and isinstance(c.value, tuple):
            same = [f"sameTerm({node}, {sparql_term(m)})" for m in c.value]
            return "(" + " || ".join(same) + ")" if same else "false"
        if c.kind == "hasValue" and isinstance(c.value, (URIRef, Literal)):
            return f"sameTerm({node}, {sparql_term(c.value)})"
        if c.kind == "languageIn" and isinstance(c.value, tuple):
            wanted = {str(lang).lower() for lang in c.value}
            tagged = f"(isLiteral({node}) && LANG({node}) != \"\""
            if "*" in wanted:
                return tagged + ")"
            listed = ", ".join(_string(lang) for lang in sorted(wanted))
            return (f"{tagged} && (LCASE(LANG({node})) IN ({listed}) || "
                    f"LCASE(STRBEFORE(LANG({node}), \"-\")) IN ({listed})))")
        if c.kind == "minLength" and isinstance(c.value, int):
            if c.value <= 0:
                return "true"
            return f"(!isBlank({node}) && STRLEN(STR({node})) >= {c.value})"
        if c.kind == "or" and isinstance(c.value, tuple):
            return "(" + " || ".join(self.conforms(s, node) for s in c.value) + ")"
        if c.kind == "xone" and isinstance(c.value, tuple):
            counted = " + ".join(f"IF({self.conforms(s, node)}, 1, 0)" for s in c.value)
            return f"(({counted}) = 1)"
        raise UnsupportedShapes(f"sh:{c.kind} is not supported as a value test")

    # The checks of one shape with targets ----------------------------------------------

    def shape_checks(self, shape: Shape) -> Iterator[Check]:
        focus = self.focus(shape)
        branches = _Branches()
        for c in shape.constraints:
            if c.kind == "sparql" and isinstance(c.value, SparqlCheck):
                messages = tuple({**shape.messages, **dict(c.value.messages)}.items())
                if not messages:
                    raise UnsupportedShapes(f"{c.value.node}: a SPARQL constraint needs sh:message")
                test = Test("", shape.named, shape.severity, messages, value="focus")
                yield Check(c.value.select, {}, sparql=c.value,
                            focus=f"SELECT ?this WHERE {{ {focus} }}", sparql_test=test)
            elif c.kind in _VALUE_TESTS:
                branches.flag("", self.test(c, "?this"), self.result(shape, None, "focus"))
            else:
                raise UnsupportedShapes(f"{shape.node}: sh:{c.kind} on a node shape is not "
                                        "supported")
        for prop in shape.properties:
            self.property_tests(prop, branches)
        for query, tests in branches.queries(focus):
            yield Check(query, tests)

    def result(self, shape: Shape, path: Node | None, value: str,
               decide: Constraint | None = None, unique_lang: PathSpec | None = None) -> Test:
        if not shape.messages:
            raise UnsupportedShapes(f"{shape.node}: a shape that reports results needs sh:message")
        return Test("", shape.named, shape.severity, tuple(shape.messages.items()), path, value,
                    decide, unique_lang)

    def property_tests(self, shape: Shape, branches: _Branches) -> None:
        path = shape.path
        if path is None or shape.properties:
            raise UnsupportedShapes(f"{shape.node}: a property shape needs a path and no "
                                    "sh:property of its own")
        has = self.value(path, "?this", "?v")
        node = path.node

        def on_focus(expression: str, unique_lang: PathSpec | None = None) -> None:
            branches.flag("", expression, self.result(shape, node, "none",
                                                      unique_lang=unique_lang))

        for c in shape.constraints:
            a, b = self.var(), self.var()
            if c.kind == "minCount" and isinstance(c.value, int):
                if c.value == 1:
                    on_focus(f"EXISTS {{ {self.value(path, '?this', a)} }}")
                elif c.value > 1:
                    raise UnsupportedShapes(f"{shape.node}: sh:minCount above 1 is not supported")
            elif c.kind == "maxCount" and isinstance(c.value, int):
                if c.value == 0:
                    on_focus(f"NOT EXISTS {{ {self.value(path, '?this', a)} }}")
                elif c.value == 1:
                    on_focus(f"NOT EXISTS {{ {self.value(path, '?this', a)} "
                             f"{self.value(path, '?this', b)} FILTER(!sameTerm({a}, {b})) }}")
                else:
                    raise UnsupportedShapes(f"{shape.node}: sh:maxCount above 1 is not supported")
            elif c.kind == "hasValue" and isinstance(c.value, (URIRef, Literal)):
                on_focus(f"EXISTS {{ {self.value(path, '?this', sparql_term(c.value))} }}")
            elif c.kind == "uniqueLang":
                if c.value:
                    on_focus(f"NOT EXISTS {{ {self.value(path, '?this', a)} "
                             f"{self.value(path, '?this', b)} FILTER(isLiteral({a}) && "
                             f"isLiteral({b}) && LANG({a}) != \"\" && "
                             f"LCASE(LANG({a})) = LCASE(LANG({b})) && !sameTerm({a}, {b})) }}",
                             unique_lang=path)
            elif c.kind == "qualifiedMinCount" and isinstance(c.value, tuple):
                qualified, minimum = c.value
                if minimum == 1:
                    test = self.conforms(qualified, a)
                    on_focus(f"EXISTS {{ {self.value(path, '?this', a)} FILTER({test}) }}")
                elif minimum > 1:
                    raise UnsupportedShapes(f"{shape.node}: sh:qualifiedMinCount above 1 is not "
                                            "supported")
            elif c.kind in _VALUE_TESTS:
                branches.flag(has, self.test(c, "?v"), self.result(shape, node, "v"))
            elif c.kind == "disjoint" and isinstance(c.value, URIRef):
                branches.flag(has, f"NOT EXISTS {{ ?this {sparql_term(c.value)} ?v }}",
                              self.result(shape, node, "v"))
            elif c.kind == "lessThanOrEquals" and isinstance(c.value, URIRef):
                date = f"<{XSD.date}>"
                safe = " && ".join([
                    "isLiteral(?v)", "isLiteral(?w)", f"DATATYPE(?v) = {date}",
                    f"DATATYPE(?w) = {date}", f"REGEX(STR(?v), \"{_PLAIN_DATE}\")",
                    f"REGEX(STR(?w), \"{_PLAIN_DATE}\")", "?v <= ?w"])
                branches.flag(f"{has} ?this {sparql_term(c.value)} ?w", safe,
                              self.result(shape, node, "v", decide=c))
            elif c.kind in ("datatype", "pattern", "minInclusive"):
                branches.flag(has, self.certainly_conforms(c),
                              self.result(shape, node, "v", decide=c))
            else:
                raise UnsupportedShapes(f"{shape.node}: sh:{c.kind} on a property shape is not "
                                        "supported")

    @staticmethod
    def certainly_conforms(c: Constraint) -> str:
        """An expression true only for values pySHACL surely accepts (see the module docstring)."""
        if c.kind == "datatype" and isinstance(c.value, URIRef):
            safe = f"isLiteral(?v) && DATATYPE(?v) = {sparql_term(c.value)}"
            if c.value in _SAFE_LEXICAL:
                return f"{safe} && REGEX(STR(?v), \"{_SAFE_LEXICAL[c.value]}\")"
            return safe if c.value in _ALWAYS_SAFE else "false"
        if c.kind == "minInclusive" and isinstance(c.value, Literal) and \
                c.value.datatype in (XSD.integer, XSD.decimal):
            return (f"isLiteral(?v) && DATATYPE(?v) IN (<{XSD.integer}>, <{XSD.decimal}>) && "
                    f"REGEX(STR(?v), \"{_NUMBER}\") && ?v >= {sparql_term(c.value)}")
        return "false"  # sh:pattern, or a bound SPARQL would not compare like pySHACL


_VALUE_TESTS = frozenset({"class", "in", "languageIn", "minLength", "or", "xone"})
