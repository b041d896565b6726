from sqlalchemy import Engine, func, select

from msht.cases.actor import Actor
from msht.cases.views import review_queue
from msht.store.database import transaction
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
