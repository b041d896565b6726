"""How well the groups hold the planted networks of a synthetic project.

A planted network (in `truth/victims.csv`: person_id, network_id, role) is *grouped* when
one detected group holds every one of its victims and controllers. A true person may be
several entities (resolution is not perfect): a person is in a group when any of their
entities is. The flags and the "for investigation" list are scored too: how many planted
victims are flagged, and how many controllers (and, wrongly, victims) are listed for
investigation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class NetworkScores:
    """Networks grouped, and the flags and investigation list against the planted roles."""

    networks: int
    networks_grouped: int
    share_grouped: float
    victims: int
    victims_flagged: int
    controllers: int
    controllers_for_investigation: int
    victims_for_investigation: int
    for_investigation: int
    groups: int
    group_people: int
    planted_share_of_group_people: float

    def as_dict(self) -> dict[str, float | int]:
        """Plain dictionary, for JSON."""
        return asdict(self)


def score_network(
    planted: dict[str, list[tuple[str, str]]],
    entities_of: dict[str, set[str]],
    groups_of: dict[str, set[str]],
    flagged: set[str],
    for_investigation: set[str],
) -> NetworkScores:
    """Scores from the planted networks, each true person's entities, each entity's groups,
    the flagged entities and those listed for investigation."""
    grouped = 0
    victims = flagged_victims = controllers = listed_controllers = listed_victims = 0
    for members in planted.values():
        common: set[str] | None = None
        for person, role in members:
            mine = entities_of.get(person, set())
            found = set().union(*(groups_of.get(e, set()) for e in mine)) if mine else set()
            common = found if common is None else common & found
            listed = bool(mine & for_investigation)
            if role == "victim":
                victims += 1
                flagged_victims += bool(mine & flagged)
                listed_victims += listed
            else:
                controllers += 1
                listed_controllers += listed
        grouped += bool(common)
    planted_entities = {
        e for members in planted.values() for p, _ in members for e in entities_of.get(p, ())
    }
    all_groups = {g for gs in groups_of.values() for g in gs}
    people = set(groups_of)
    return NetworkScores(
        networks=len(planted),
        networks_grouped=grouped,
        share_grouped=round(grouped / len(planted), 4) if planted else 0.0,
        victims=victims,
        victims_flagged=flagged_victims,
        controllers=controllers,
        controllers_for_investigation=listed_controllers,
        victims_for_investigation=listed_victims,
        for_investigation=len(for_investigation),
        groups=len(all_groups),
        group_people=len(people),
        planted_share_of_group_people=(
            round(len(people & planted_entities) / len(people), 4) if people else 0.0
        ),
    )
