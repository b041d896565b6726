from sqlalchemy import Engine, func, select

from msht.cases.actor import Actor
from msht.cases.review import purge_flag, share
from msht.cases.views import profile_view, review_queue
from msht.store.database import transaction
from msht.store.published import Evidence, SignHit
from msht.store.reviews import ReviewItem

READER = Actor("ana", "analyst", frozenset({"review:read"}))


def test_each_page_of_the_queue_tells_the_whole_total(published: Engine) -> None:
    with transaction(published) as session:
        items = session.scalar(select(func.count()).select_from(ReviewItem))
        pages = [review_queue(session, READER, limit=2, offset=o) for o in (0, 2, items or 0)]
        everything = review_queue(session, READER, limit=500)
        none = review_queue(session, READER, state="no-such-state")
    assert items and items > 2
    assert [p["total"] for p in pages] == [items] * 3 and everything["total"] == items
    assert [len(p["items"]) for p in pages] == [2, min(2, items - 2), 0]
    ids = [i["id"] for i in everything["items"]]
    assert [i["id"] for p in pages for i in p["items"]] == ids[:4]
    assert none == {"total": 0, "items": []}


def test_a_partner_pages_through_only_the_items_shared_with_them(published: Engine) -> None:
    sharer = Actor("rev", "reviewer", frozenset({"review:read", "review:share"}))
    glaa = Actor("gl", "partner", frozenset({"review:read"}), "glaa", scoped=True)
    with transaction(published) as session:
        ids = session.scalars(select(ReviewItem.id).order_by(ReviewItem.id)).all()
        for item in ids[1:4]:  # disclosed, so visible whatever their handling code
            share(session, item, "glaa", sharer, "joint visit", disclose=True)
        share(session, ids[4], "medway-council", sharer, "their case", disclose=True)
    with transaction(published) as session:
        pages = [review_queue(session, glaa, limit=2, offset=o) for o in (0, 2, 4)]
        everything = review_queue(session, READER, limit=500)
    assert [p["total"] for p in pages] == [3, 3, 3]
    seen = [i["id"] for p in pages for i in p["items"]]
    assert sorted(seen) == sorted(ids[1:4]) and [len(p["items"]) for p in pages] == [2, 1, 0]
    staff_order = [i["id"] for i in everything["items"] if i["id"] in seen]
    assert seen == staff_order  # the same order as staff see, highest score first
    assert all("label" in i for p in pages for i in p["items"])


def test_partners_of_two_organisations_share_the_built_statement_not_its_items(
    published: Engine,
) -> None:
    # The queue's statements are built once per kind of filter, with the organisation a
    # bound value: each partner must still see only their own organisation's items.
    sharer = Actor("rev", "reviewer", frozenset({"review:read", "review:share"}))
    glaa = Actor("gl", "partner", frozenset({"review:read"}), "glaa", scoped=True)
    medway = Actor("md", "partner", frozenset({"review:read"}), "medway-council", scoped=True)
    with transaction(published) as session:
        ids = session.scalars(select(ReviewItem.id).order_by(ReviewItem.id)).all()
        for item in ids[:2]:
            share(session, item, "glaa", sharer, "joint visit", disclose=True)
        share(session, ids[2], "medway-council", sharer, "their case", disclose=True)
    with transaction(published) as session:
        seen = {
            who.organisation: review_queue(session, who, limit=500) for who in (glaa, medway, glaa)
        }
        state = session.scalar(select(ReviewItem.state).where(ReviewItem.id == ids[2]))
        by_state = review_queue(session, medway, state=state, limit=500)
        past_end = review_queue(session, medway, state=state, offset=5)
    assert sorted(i["id"] for i in seen["glaa"]["items"]) == sorted(ids[:2])
    assert [i["id"] for i in seen["medway-council"]["items"]] == [ids[2]]
    assert [i["id"] for i in by_state["items"]] == [ids[2]]
    assert past_end == {"total": 1, "items": []}


def test_the_queue_is_highest_score_first_and_a_removed_flag_last(published: Engine) -> None:
    with transaction(published) as session:
        first = review_queue(session, READER, limit=500)["items"]
        gone = first[0]["id"]  # the highest score: its flag is removed by review
        purge_flag(session, first[0]["entity_id"])
    with transaction(published) as session:
        everything = review_queue(session, READER, limit=500)["items"]
        pages = [
            review_queue(session, READER, limit=7, offset=o)["items"] for o in range(0, 500, 7)
        ]
    scores = [i["score"] for i in everything]
    assert len(set(scores)) > 3  # the order is tested on a queue whose scores differ
    assert [i["id"] for i in everything] == [
        i["id"] for i in sorted(everything, key=lambda i: (-(i["score"] or -1), i["id"]))
    ]
    assert everything[-1]["id"] == gone and everything[-1]["score"] is None
    assert [i["id"] for p in pages for i in p] == [i["id"] for i in everything]


def test_a_profile_shows_each_factors_evidence_and_the_signs_as_their_tables_hold_them(
    published: Engine,
) -> None:
    with transaction(published) as session:
        entity_id = session.scalars(
            select(SignHit.entity_id)
            .join(Evidence, Evidence.entity_id == SignHit.entity_id)
            .order_by(SignHit.entity_id)
            .limit(1)
        ).one()
        view = profile_view(session, READER, entity_id, "safeguarding review")
        evidence = session.scalars(
            select(Evidence).where(Evidence.entity_id == entity_id).order_by(Evidence.id)
        ).all()
        signs = session.scalars(
            select(SignHit).where(SignHit.entity_id == entity_id).order_by(SignHit.id)
        ).all()
        evidence_columns = [c.name for c in Evidence.__table__.columns]
        sign_columns = [c.name for c in SignHit.__table__.columns]
        assert evidence and signs
        for factor in view["factors"]:
            assert factor["evidence_items"] == [
                {name: getattr(e, name) for name in evidence_columns}
                for e in evidence
                if e.rule_id == factor["rule_id"]
            ]
        assert sum(len(f["evidence_items"]) for f in view["factors"]) == len(evidence)
        assert view["signs"] == [{name: getattr(s, name) for name in sign_columns} for s in signs]
        assert [list(s) for s in view["signs"]] == [sign_columns] * len(signs)
