"""pySHACL's own rules for the constraints whose outcome depends on Python semantics.

:mod:`policygraph.shacl.sparql` lets SPARQL drop the values that certainly conform; the
remaining candidates are decided here with the same logic as pySHACL 0.40's constraint
components (ported line for line, or called, as for ``compare_literal``), so that the two
validators agree on ill-typed literals, regular expressions and comparisons.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from policygraph.shacl.shapes import Constraint

__all__ = ["violates"]


def violates(constraint: Constraint, value: Node, other: Node | None = None) -> bool:
    """True when ``value`` (with ``other``, the compared value, for sh:lessThanOrEquals) fails."""
    kind = constraint.kind
    if kind == "datatype" and isinstance(constraint.value, URIRef):
        return not _datatype_matches(value, constraint.value)
    if kind == "pattern" and isinstance(constraint.value, tuple):
        pattern, flags = constraint.value
        return not _pattern_matches(value, pattern, flags)
    if kind == "minInclusive" and isinstance(constraint.value, Literal):
        return not _at_least(value, constraint.value)
    if kind == "lessThanOrEquals" and other is not None:
        return not _less_or_equal(value, other)
    raise ValueError(f"no Python rule for sh:{kind}")


def _quiet_literal(value: Literal) -> Literal:
    return _quiet(str(value), value.language, value.datatype)


def _quiet(lexical: str, lang: str | None, datatype: URIRef | None) -> Literal:
    # rdflib logs every lexical form it cannot convert; the result is what matters here.
    logger = logging.getLogger("rdflib.term")
    previous = logger.disabled
    logger.disabled = True
    try:
        return Literal(lexical, lang=lang, datatype=datatype)
    finally:
        logger.disabled = previous


def _datatype_matches(value: Node, rule: URIRef) -> bool:
    # pySHACL DatatypeConstraintComponent.evaluate, for one value node.
    if not isinstance(value, Literal):
        return False
    return _literal_datatype_matches(str(value), value.language, value.datatype, rule)


@lru_cache(maxsize=65536)
def _literal_datatype_matches(lexical: str, lang: str | None, datatype: URIRef | None,
                              rule: URIRef) -> bool:
    value = _quiet(lexical, lang, datatype)
    if datatype == rule:
        if getattr(value, "ill_typed", None) is True:
            return False
        return _actual_datatype(value, rule)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and datatype:
        return True
    if datatype is None and lang is None and rule == XSD.string:
        return _actual_datatype(value, rule)
    if rule == RDF.langString and lang:
        return _actual_datatype(value, rule)
    return False


def _actual_datatype(literal: Literal, rule: URIRef) -> bool:
    # pySHACL DatatypeConstraintComponent._assert_actual_datatype
    value = literal.value
    checks: dict[URIRef, type | tuple[type, ...]] = {
        XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
        XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date,
        XSD.time: time, XSD.dateTime: datetime,
    }
    if rule in checks:
        return isinstance(value, checks[rule])
    return True


def _pattern_matches(value: Node, pattern: str, flags: str) -> bool:
    # pySHACL PatternConstraintComponent._evaluate_string_rule, for one value node.
    if isinstance(value, BNode):
        return False
    matcher = _compiled(pattern, flags.lower())
    text = _string_of(value)
    return bool(matcher.match(text) or matcher.search(text))


@lru_cache(maxsize=64)
def _compiled(pattern: str, flags: str) -> re.Pattern[str]:
    re_flags = 0
    if "i" in flags:
        re_flags |= re.I
    if "m" in flags:
        re_flags |= re.M
    return re.compile(pattern, re_flags)


def _string_of(value: Node) -> str:
    # pySHACL StringBasedConstraintBase.value_node_to_string
    if isinstance(value, Literal):
        literal = _quiet_literal(value)
        if literal.value is not None and literal.datatype in (None, RDF.langString, XSD.string):
            return str(literal.value)
        return str(literal)
    return str(value)


def _at_least(value: Node, minimum: Literal) -> bool:
    # pySHACL MinInclusiveConstraintComponent._evaluate_min_rule, for one value node.
    from pyshacl.rdfutil.compare import compare_literal  # heavy import, only when needed

    if not isinstance(value, Literal):
        return False
    literal = _quiet_literal(value)
    min_is_string = isinstance(minimum.value, str)
    v_is_string = isinstance(literal.value, str)
    if min_is_string != v_is_string:
        return False
    try:
        return bool(compare_literal(literal, minimum) >= 0)
    except (TypeError, NotImplementedError):
        return False


def _less_or_equal(value: Node, other: Node) -> bool:
    # pySHACL LessThanOrEqualsConstraintComponent._compare_ltoe, for one pair. pySHACL stops
    # the whole validation with an error on a blank node; here that pair fails instead.
    if isinstance(value, BNode) or isinstance(other, BNode):
        return False
    left, left_is_string = _comparable(value)
    right, right_is_string = _comparable(other)
    if left_is_string != right_is_string:
        return False
    try:
        return bool(left <= right)  # type: ignore[operator]  # rdflib's own ordering
    except TypeError:
        return False


def _comparable(node: Node) -> tuple[object, bool]:
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal):
        literal = _quiet_literal(node)
        if isinstance(literal.value, str):
            return literal.value, True
        return literal, False
    return node, False
