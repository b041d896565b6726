from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from api_support import PASSWORD, Api
from fastapi.testclient import TestClient

from msht.store.audit import AuditEntry
from msht.store.database import transaction
from msht.store.published import Profile
from msht.store.reviews import ReviewItem, Transition
from msht.web.app import create_app

PURPOSE = {"purpose": "safeguarding review"}


def _entries(api: Api, action: str) -> list[AuditEntry]:
    with transaction(api.database) as session:
        return list(session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_sign_in_refusals_say_the_same_and_lock_after_five_failures(api: Api) -> None:
    client = TestClient(api.app)  # type: ignore[arg-type]
    unknown = client.post("/api/login", json={"username": "nobody", "password": "x" * 12})
    wrong = client.post("/api/login", json={"username": "analyst", "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
    for _ in range(4):
        client.post("/api/login", json={"username": "analyst", "password": "x" * 12})
    locked = client.post("/api/login", json={"username": "analyst", "password": PASSWORD})
    assert locked.status_code == 401 and locked.json() == wrong.json()
    assert len(_entries(api, "access")) >= 7


def test_state_changes_need_the_csrf_token_and_forged_cookies_get_nothing(api: Api) -> None:
    client = api.login("analyst")
    token = client.headers.pop("X-CSRF-Token")
    url = f"/api/reviews/{api.items[1]}/notes"
    assert client.post(url, json={"text": "x"}).status_code == 403
    client.headers["X-CSRF-Token"] = token[::-1]
    assert client.post(url, json={"text": "x"}).status_code == 403
    client.headers["X-CSRF-Token"] = token
    assert client.post(url, json={"text": "x"}).status_code == 200
    forged = TestClient(api.app)  # type: ignore[arg-type]
    forged.cookies.set("msht_session", client.cookies["msht_session"][:-2] + "xx")
    assert forged.get("/api/me").status_code == 401


def test_bad_input_is_422_naming_the_field_and_unknown_ids_are_404(api: Api) -> None:
    client = api.login("reviewer")
    item = api.items[1]
    missing = client.post(f"/api/reviews/{item}/transitions", json={"to": "under_review"})
    assert missing.status_code == 422 and "reason" in str(missing.json()["detail"][0]["loc"])
    no_purpose = client.get(f"/api/profiles/{api.entities[0]}")
    assert no_purpose.status_code == 422 and "purpose" in str(no_purpose.json()["detail"][0])
    client.post(f"/api/reviews/{item}/transitions", json={"to": "under_review", "reason": "go"})
    bad = client.post(
        f"/api/reviews/{item}/transitions",
        json={"to": "awaiting_signoff", "reason": "done", "outcome": "maybe"},
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "outcome"]
    assert client.get("/api/profiles/PER-999999", params=PURPOSE).status_code == 404
    assert client.get("/api/entities/PER-999999", params=PURPOSE).status_code == 404
    assert client.get("/api/reviews/999999", params=PURPOSE).status_code == 404
    assert client.post("/api/reviews/999999/notes", json={"text": "x"}).status_code == 404


def test_closing_takes_two_people_and_bad_moves_are_409(api: Api) -> None:
    analyst, reviewer, second = api.login("analyst"), api.login("reviewer"), api.login("reviewer2")
    item = api.items[2]
    url = f"/api/reviews/{item}/transitions"
    assert analyst.post(url, json={"to": "closed", "reason": "x"}).status_code == 409
    analyst.post(url, json={"to": "under_review", "reason": "picked up"})
    proposed = analyst.post(
        url, json={"to": "awaiting_signoff", "reason": "safe now", "outcome": "safeguarded"}
    )
    assert proposed.status_code == 200 and proposed.json()["state"] == "awaiting_signoff"
    assert analyst.post(url, json={"to": "closed", "reason": "me"}).status_code == 403
    reviewer.post(url, json={"to": "under_review", "reason": "more to check"})
    reviewer.post(url, json={"to": "awaiting_signoff", "reason": "ok", "outcome": "safeguarded"})
    selfish = reviewer.post(url, json={"to": "closed", "reason": "agreed by me"})
    assert selfish.status_code == 409 and "four eyes" in selfish.text
    closed = second.post(url, json={"to": "closed", "reason": "agreed"})
    assert closed.status_code == 200, closed.text
    view = closed.json()
    assert view["state"] == "closed" and view["outcome"] == "safeguarded"
    assert [h["to_state"] for h in view["history"]] == [
        "triage",
        "under_review",
        "awaiting_signoff",
        "under_review",
        "awaiting_signoff",
        "closed",
    ]


def test_partners_see_only_what_was_shared_with_them_and_redacted(api: Api) -> None:
    partner, other = api.login("partner"), api.login("otherpartner")
    queue = partner.get("/api/reviews").json()
    assert queue["total"] == 1 and queue["items"][0]["id"] == api.items[0]
    assert other.get("/api/reviews").json()["total"] == 0
    assert other.get(f"/api/reviews/{api.items[0]}", params=PURPOSE).status_code == 404
    assert partner.get(f"/api/reviews/{api.items[1]}", params=PURPOSE).status_code == 404
    assert partner.get(f"/api/profiles/{api.entities[1]}", params=PURPOSE).status_code == 404
    profile = partner.get(f"/api/profiles/{api.entities[0]}", params=PURPOSE)
    assert profile.status_code == 200
    staff = api.login("analyst").get(f"/api/profiles/{api.entities[0]}", params=PURPOSE).json()
    details = [e["detail"] for f in staff["factors"] for e in f["evidence_items"] if e["detail"]]
    assert details and not any(d in profile.text for d in details)


def test_handling_code_c_reaches_a_partner_only_after_a_disclosure(api: Api) -> None:
    with transaction(api.database) as session:
        session.execute(
            sa.update(ReviewItem).where(ReviewItem.id == api.items[3]).values(handling_code="C")
        )
    reviewer, partner = api.login("reviewer"), api.login("partner")
    shares = f"/api/reviews/{api.items[3]}/shares"
    reviewer.post(shares, json={"organisation": "glaa", "reason": "joint op"})
    assert partner.get(f"/api/reviews/{api.items[3]}", params=PURPOSE).status_code == 404
    reviewer.post(
        shares, json={"organisation": "glaa", "reason": "needed for visit", "disclose": True}
    )
    assert partner.get(f"/api/reviews/{api.items[3]}", params=PURPOSE).status_code == 200
    assert any(e.detail.get("handling_code_c") for e in _entries(api, "disclosure"))


def test_every_view_of_a_person_is_audited_with_its_purpose(api: Api) -> None:
    client = api.login("analyst")
    entity = api.entities[0]
    client.get(f"/api/profiles/{entity}", params={"purpose": "strategy meeting prep"})
    seen = [e for e in _entries(api, "consultation") if entity in e.record_ids]
    assert any(e.reason == "strategy meeting prep" and e.username == "analyst" for e in seen)
    admin = api.login("admin")
    found = admin.get("/api/audit", params={"record_id": entity, "action": "consultation"})
    assert any(e["reason"] == "strategy meeting prep" for e in found.json()["items"])
    assert admin.get("/api/audit/verify").json()["ok"] is True


def test_a_refused_change_writes_nothing(api: Api) -> None:
    client = api.login("analyst")
    before = (len(_entries(api, "alteration")), _count_transitions(api))
    client.post(f"/api/reviews/{api.items[1]}/transitions", json={"to": "visited", "reason": "x"})
    assert (len(_entries(api, "alteration")), _count_transitions(api)) == before


def _count_transitions(api: Api) -> int:
    with api.database.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(Transition)).scalar_one()


def test_a_partner_item_view_hides_notes_reasons_and_other_shares(api: Api) -> None:
    reviewer = api.login("reviewer")
    item = api.items[0]
    reviewer.post(f"/api/reviews/{item}/notes", json={"text": "lives at 4 Mill Lane"})
    reviewer.post(
        f"/api/reviews/{item}/shares", json={"organisation": "salvation-army", "reason": "support"}
    )
    seen = api.login("partner").get(f"/api/reviews/{item}", params=PURPOSE)
    assert seen.status_code == 200
    view = seen.json()
    assert "Mill Lane" not in seen.text and "joined the review cohort" not in seen.text
    assert [s["organisation"] for s in view["shares"]] == ["glaa"]
    assert view["notes"] and view["history"]


def test_exports_from_the_api_need_a_part_of_the_graph_and_known_ids(api: Api) -> None:
    client = api.login("analyst")
    body = {"format": "xlsx", "recipient": "GLAA", "purpose": "joint visit"}
    whole = client.post("/api/exports", json=body)
    assert whole.status_code == 422 and whole.json()["detail"][0]["loc"] == ["body", "person"]
    unknown = client.post("/api/exports", json={**body, "person": "PER-999999"})
    assert unknown.status_code == 404
    assert not [e for e in _entries(api, "export") if "PER-999999" in e.record_ids]


def test_signing_out_is_audited_and_an_unknown_role_is_refused(api: Api) -> None:
    client = api.login("analyst")
    assert client.post("/api/logout").status_code == 200
    assert any(e.reason == "signed out" for e in _entries(api, "access"))
    other = api.login("reviewer")
    with transaction(api.database) as session:
        session.execute(sa.text("UPDATE app_user SET role = 'ghost' WHERE username = 'reviewer'"))
    assert other.get("/api/me").status_code == 401


def test_a_session_that_has_ended_learns_nothing_not_even_what_is_missing(api: Api) -> None:
    """On PostgreSQL a read's session is checked with its audit entries, after the view ran:
    a view that fails must not answer before the check (404 would say what does not exist)."""
    client = api.login("reviewer")
    assert client.get("/api/profiles/PER-999999", params=PURPOSE).status_code == 404
    seen = client.get(f"/api/profiles/{api.entities[0]}", params=PURPOSE)
    assert seen.status_code == 200
    views = len(_entries(api, "consultation"))
    with transaction(api.database) as session:
        session.execute(sa.text("UPDATE app_user SET session_epoch = session_epoch + 1"))
    for url in ("/api/profiles/PER-999999", f"/api/profiles/{api.entities[0]}", "/api/reviews"):
        answer = client.get(url, params=PURPOSE)
        assert answer.status_code == 401 and "has ended" in answer.json()["detail"], url
    assert len(_entries(api, "consultation")) == views


def test_signing_out_ends_the_session_even_for_a_copied_cookie(api: Api) -> None:
    client = api.login("analyst")
    copy = TestClient(api.app)  # type: ignore[arg-type]
    copy.cookies.set("msht_session", client.cookies["msht_session"])
    assert copy.get("/api/me").status_code == 200
    client.post("/api/logout")
    assert copy.get("/api/me").status_code == 401


def test_odd_csrf_headers_and_unshared_items_give_nothing_away(api: Api) -> None:
    client = api.login("analyst")
    odd = {"X-CSRF-Token": "é".encode("latin-1") * 10}  # decoded by the server as latin-1
    url = f"/api/reviews/{api.items[1]}/notes"
    assert client.post(url, json={"text": "x"}, headers=odd).status_code == 403
    partner = api.login("partner")
    unshared = partner.get(f"/api/reviews/{api.items[1]}", params=PURPOSE)
    missing = partner.get("/api/reviews/999999", params=PURPOSE)
    assert unshared.status_code == missing.status_code == 404
    assert unshared.json()["detail"] == f"no review item {api.items[1]}"


def test_a_partner_never_sees_a_profile_whose_own_code_is_c(api: Api) -> None:
    with transaction(api.database) as session:  # the item still says P
        session.execute(
            sa.update(Profile).where(Profile.entity_id == api.entities[0]).values(handling_code="C")
        )
    partner = api.login("partner")
    assert partner.get(f"/api/profiles/{api.entities[0]}", params=PURPOSE).status_code == 404
    assert partner.get("/api/reviews").json()["total"] == 0


def test_a_server_out_of_database_connections_answers_503(api: Api, built_project: Path) -> None:
    engine = sa.create_engine(api.database.url, pool_size=1, max_overflow=0, pool_timeout=0.2)
    client = TestClient(create_app(built_project, engine, secret="test-secret-" * 4))
    answer = client.post("/api/login", json={"username": "analyst", "password": PASSWORD})
    assert answer.status_code == 200
    purpose = {"purpose": "while the pool is empty"}
    try:
        with engine.connect():  # the pool's only connection, held by someone else
            busy = client.get(f"/api/profiles/{api.entities[0]}", params=purpose)
        assert busy.status_code == 503
        assert busy.headers["Retry-After"] == "5"
        assert not [e for e in _entries(api, "consultation") if e.reason == purpose["purpose"]]
        assert client.get(f"/api/profiles/{api.entities[0]}", params=purpose).status_code == 200
    finally:
        client.close()
        engine.dispose()


def _elsewhere(
    api: Api, built_project: Path, engine: sa.Engine, on_loop: bool = False
) -> TestClient:
    """A client signed in (through `api`'s store) on an app serving from `engine`; with
    `on_loop`, the app's lifespan runs, so reads on PostgreSQL are served on the event loop
    (close the client to end it)."""
    signed = api.login("analyst")
    client = TestClient(create_app(built_project, engine, secret="test-secret-" * 4))
    if on_loop:
        client.__enter__()
    client.cookies = signed.cookies
    return client


@pytest.mark.parametrize("on_loop", [False, True], ids=["threads", "event-loop"])
def test_a_store_that_cannot_be_reached_answers_503_not_500(
    api: Api, built_project: Path, on_loop: bool
) -> None:
    nowhere = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:9/none")
    client = _elsewhere(api, built_project, nowhere, on_loop)
    try:
        answer = client.get(f"/api/profiles/{api.entities[0]}", params=PURPOSE)
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == "5"
        assert answer.json()["detail"] == "the store cannot be reached now: try again shortly"
    finally:
        client.close()
        nowhere.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.parametrize("on_loop", [False, True], ids=["threads", "event-loop"])
def test_a_postgresql_refusing_more_connections_answers_503(
    api: Api, built_project: Path, on_loop: bool
) -> None:
    role = f"msht_full_{uuid.uuid4().hex[:8]}"
    with api.database.begin() as connection:  # a role allowed no connection at all
        connection.execute(sa.text(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 0"))
    full = sa.create_engine(api.database.url.set(username=role))
    client = _elsewhere(api, built_project, full, on_loop)
    try:
        with pytest.raises(sa.exc.OperationalError, match="too many connections"):
            full.connect()
        answer = client.get("/api/reviews")
        assert answer.status_code == 503, answer.text
        assert answer.headers["Retry-After"] == "5"
    finally:
        client.close()
        full.dispose()
        with api.database.begin() as connection:
            connection.execute(sa.text(f"DROP ROLE {role}"))


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_reads_on_the_event_loop_survive_postgresql_dropping_their_connections(
    api: Api,
) -> None:
    client = api.login("analyst")  # entered: reads are served on the event loop
    profile = f"/api/profiles/{api.entities[0]}"
    assert client.get(profile, params=PURPOSE).status_code == 200
    with api.database.begin() as connection:  # as a restart of PostgreSQL would
        dropped = connection.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE application_name = :name"
            ),
            {"name": f"msht web {os.getpid()}"},
        ).scalar()
    assert dropped
    answers = [client.get(profile, params=PURPOSE) for _ in range(3)]
    # the read that finds its connection dropped shows nothing and says when to try again;
    # the pool is then renewed, and the next reads are served
    assert [a.status_code for a in answers] == [503, 200, 200]
    assert answers[0].headers["Retry-After"] == "5"
