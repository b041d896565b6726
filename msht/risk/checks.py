"""The registered checks a risk rule may name. Each is a pure function of its parameters
(and the indicator categories) to SQL giving evidence rows: the person entity, where the
evidence comes from, what it says, its date and, for intelligence, its 3x5x2 grading.

R11: intelligence graded E (suspected false), or without a source evaluation or an
assessment, never raises a factor: indicator evidence from such reports is left out, and
the graph's edges count it apart (`usable_links`), so an address, a van or a shared phone
known only from such a report raises nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from msht.engine.dialect import text_list, text_literal

#: The structured indicator of a child, or of a person no record gives an age (R17).
CHILD = "STR-CHILD"


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Signs(_Params):
    """Signs of exploitation of these categories, in texts the person is linked to."""

    categories: tuple[str, ...] = Field(min_length=1)
    roles: tuple[str, ...] = ("victim", "subject", "present-at")
    #: Events whose signs naming no one are about the people linked to them (the IP of a
    #: crime, the missing child, the referred victim, the workers of a visit); in a custody
    #: record or an intelligence report they may be about anyone.
    unnamed_events: tuple[str, ...] = (
        "CrimeReport",
        "NRMReferral",
        "MissingEpisode",
        "PartnerVisit",
    )
    #: Categories whose signs describe a child ("old beyond her years", "has a social
    #: worker"): they count only for children and people of unknown age (R17), never for an
    #: adult the same words are written about.
    children_only: tuple[str, ...] = ("child",)


class StructuredSign(_Params):
    """A structured indicator of the person (STR-…)."""

    indicator: str = Field(pattern=r"^STR-[A-Z-]+$")


class Crowded(_Params):
    """Lives at an address with this many adult surnames or more."""

    min_adult_surnames: int = Field(ge=2)


class Transported(_Params):
    """Linked to a vehicle that this many people working in at-risk sectors are linked to."""

    min_at_risk_workers: int = Field(ge=2)


class NoParams(_Params):
    """No parameters."""


class Offences(_Params):
    """Linked in these roles to crimes or arrests whose offence holds one of the phrases."""

    offences: tuple[str, ...] = Field(min_length=1)
    roles: tuple[str, ...] = ("victim", "suspect", "subject")
    #: Only children (or people of unknown age, R17): a child found dealing is a likely
    #: victim of criminal exploitation; an adult dealer is not scored by it.
    children_only: bool = False


#: Columns of every evidence row.
EVIDENCE = (
    "entity_id",
    "source",
    "source_record_id",
    "detail",
    "event_date",
    "source_evaluation",
    "intelligence_assessment",
    "handling_code",
)
#: The grading columns of evidence that is not intelligence.
_NO_GRADES = (
    "CAST(NULL AS VARCHAR) AS source_evaluation, "
    "CAST(NULL AS VARCHAR) AS intelligence_assessment, CAST(NULL AS VARCHAR) AS handling_code"
)
#: No date and no grading.
_UNGRADED = f"CAST(NULL AS DATE) AS event_date, {_NO_GRADES}"
_PERSON = "JOIN resolved_record p ON p.record_id = l.from_id AND p.entity_type = 'Person'"


def _signs(params: Signs, categories: Mapping[str, str]) -> str:
    """A sign about a named person is theirs, when their link to that event is in one of the
    roles (a suspect named in a crime's text gets no sign from it); a sign naming no one, in
    an event of `unnamed_events`, is given to everyone linked to its record in those roles."""
    chosen = [i for i, c in categories.items() if c in params.categories]
    roles = text_list(params.roles)
    of_children = [i for i in chosen if categories[i] in params.children_only]
    children = (
        f"\nWHERE o.indicator_id NOT IN ({text_list(of_children)}) OR p.entity_id IN "
        f"(SELECT entity_id FROM indicator_person WHERE indicator_id = {text_literal(CHILD)})"
        if of_children
        else ""
    )
    return f"""
WITH hits AS (
  SELECT * FROM indicator_hit h
  WHERE h.indicator_id IN ({text_list(chosen)})
    AND NOT (h.event_type = 'IntelligenceReport' AND (
         h.source_evaluation IS NULL OR h.intelligence_assessment IS NULL
         OR h.intelligence_assessment = 'E'))
),
owners AS (
  SELECT h.*, l.from_id AS person_record FROM hits h
  JOIN link l ON l.to_id = h.record_id AND l.role IN ({roles})
  WHERE h.about IS NULL AND h.event_type IN ({text_list(params.unnamed_events)})
  UNION ALL
  SELECT h.*, h.about FROM hits h
  WHERE h.about IS NOT NULL AND h.about_role IN ({roles})
)
SELECT p.entity_id, o.source, o.source_record_id,
       o.indicator_id || ': ' || o.text AS detail, o.event_date,
       o.source_evaluation, o.intelligence_assessment, o.handling_code
FROM owners o
JOIN resolved_record p ON p.record_id = o.person_record AND p.entity_type = 'Person'{children}"""


def _structured(params: StructuredSign, _: Mapping[str, str]) -> str:
    return f"""
SELECT s.entity_id, 'msht' AS source, s.indicator_id AS source_record_id,
       s.description || ' (' || CAST(s.evidence AS VARCHAR) || ')' AS detail, {_UNGRADED}
FROM indicator_person s WHERE s.indicator_id = {text_literal(params.indicator)}"""


def _crowded(params: Crowded, _: Mapping[str, str]) -> str:
    return f"""
SELECT e.from_entity AS entity_id, 'msht' AS source, a.entity_id AS source_record_id,
       'lives at ' || a.entity_id || ' with ' || CAST(a.adults AS VARCHAR) || ' adults of '
         || CAST(a.adult_surnames AS VARCHAR) || ' surnames' AS detail,
       a.last_date AS event_date, {_NO_GRADES}
FROM network_edge e JOIN network_address a ON a.entity_id = e.to_entity
WHERE e.role = 'resident-at' AND e.from_type = 'Person' AND e.usable_links > 0
  AND a.adult_surnames >= {int(params.min_adult_surnames)}"""


def _transported(params: Transported, _: Mapping[str, str]) -> str:
    return f"""
SELECT DISTINCT CASE WHEN e.from_type = 'Person' THEN e.from_entity ELSE e.to_entity END
         AS entity_id, 'msht' AS source, o.entity_id AS source_record_id,
       'linked to vehicle ' || o.entity_id || ', linked to '
         || CAST(o.at_risk_workers AS VARCHAR) || ' people working in at-risk sectors'
         AS detail, {_UNGRADED}
FROM network_edge e
JOIN network_object o ON o.entity_id = CASE WHEN e.from_type = 'Person'
                                            THEN e.to_entity ELSE e.from_entity END
WHERE o.entity_type = 'Vehicle' AND 'Person' IN (e.from_type, e.to_type)
  AND e.usable_links > 0
  AND o.at_risk_workers >= {int(params.min_at_risk_workers)}"""


def _flagged_premises(_: NoParams, __: Mapping[str, str]) -> str:
    return f"""
WITH flagged AS (
  SELECT t.entity_id, v.source, v.source_record_id, v.visit_date AS event_date,
         'visit to premises raised concerns' AS detail
  FROM link l JOIN resolved_record t ON t.record_id = l.to_id AND t.entity_type = 'Premises'
  JOIN partner_visit v ON v.id = l.from_id
  WHERE l.role = 'happened-at' AND v.concerns_raised
)
SELECT DISTINCT e.from_entity AS entity_id, f.source, f.source_record_id,
       'works at ' || f.entity_id || ': ' || f.detail AS detail, f.event_date,
       {_NO_GRADES}
FROM network_edge e JOIN flagged f ON f.entity_id = e.to_entity
WHERE e.role = 'works-at' AND e.from_type = 'Person'"""


def _referral(_: NoParams, __: Mapping[str, str]) -> str:
    return f"""
SELECT p.entity_id, n.source, n.source_record_id,
       'NRM referral (' || coalesce(n.exploitation_type, 'type not recorded') || ')' AS detail,
       n.referral_date AS event_date, {_NO_GRADES}
FROM link l {_PERSON} JOIN nrm_referral n ON n.id = l.to_id
WHERE l.role IN ('victim', 'subject')"""


def _linked_to_investigated(_: NoParams, __: Mapping[str, str]) -> str:
    return f"""
SELECT DISTINCT a.from_entity AS entity_id, 'msht' AS source, i.entity_id AS source_record_id,
       'shares ' || lower(a.to_type) || ' ' || a.to_entity || ' with a person linked to '
         || CAST(i.victims_1hop_not_home AS VARCHAR) || ' potential victims' AS detail,
       {_UNGRADED}
FROM network_edge a
JOIN network_edge b ON b.to_entity = a.to_entity AND b.from_entity <> a.from_entity
JOIN network_for_investigation i ON i.entity_id = b.from_entity
WHERE a.from_type = 'Person' AND b.from_type = 'Person'
  AND a.to_type IN ('Vehicle', 'Phone', 'IdentityDocument')
  AND a.role NOT LIKE 'in-same-%' AND b.role NOT LIKE 'in-same-%'
  AND a.usable_links > 0 AND b.usable_links > 0"""


def _offences(params: Offences, _: Mapping[str, str]) -> str:
    children = (
        " AND p.entity_id IN (SELECT entity_id FROM indicator_person "
        f"WHERE indicator_id = {text_literal(CHILD)})"
        if params.children_only
        else ""
    )
    found = " OR ".join(
        f"instr(lower(c.offence), {text_literal(o.lower())}) > 0" for o in params.offences
    )
    return f"""
SELECT p.entity_id, c.source, c.source_record_id, l.role || ': ' || c.offence AS detail,
       CAST(coalesce(c.offence_date, c.reported_date) AS DATE) AS event_date,
       {_NO_GRADES}
FROM link l {_PERSON} JOIN crime_report c ON c.id = l.to_id
WHERE l.role IN ({text_list(params.roles)}) AND ({found}){children}"""


@dataclass(frozen=True)
class Check:
    """A registered check: its parameters' model, the SQL it runs, the tables it needs and
    the properties of people it reads (checked against protected ones and proxies, R01)."""

    parameters: type[BaseModel]
    sql: Callable[[BaseModel, Mapping[str, str]], str]
    needs: frozenset[str]
    reads: frozenset[str] = frozenset()


def _check(
    model: type[_Params], sql: Callable[..., str], *needs: str, reads: tuple[str, ...] = ()
) -> Check:
    return Check(model, sql, frozenset(needs), frozenset(reads))


#: Check name → check. Built-ins register here; the docstring of each parameters model is
#: what the check looks for.
CHECKS: dict[str, Check] = {
    "indicator_signs": _check(Signs, _signs, "link", "indicator_hit"),
    "structured_sign": _check(StructuredSign, _structured, "indicator_person"),
    "crowded_address": _check(
        Crowded, _crowded, "network_address", reads=("adult_surnames", "surname")
    ),
    "shared_vehicle": _check(Transported, _transported, "network_object"),
    "flagged_premises": _check(NoParams, _flagged_premises, "partner_visit", "network_edge"),
    "previous_referral": _check(NoParams, _referral, "nrm_referral"),
    "linked_to_many_victims": _check(
        NoParams, _linked_to_investigated, "network_for_investigation"
    ),
    "offence_involvement": _check(
        Offences, _offences, "crime_report", "indicator_person", reads=("dob", "age_estimate")
    ),
}
