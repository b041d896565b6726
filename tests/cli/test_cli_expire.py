from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from typer.testing import CliRunner

from msht.cli import app
from msht.pipeline.serving import open_store
from msht.store.reviews import ReviewItem


def test_msht_expire_sends_flags_past_their_date_back_to_triage(built_project: Path) -> None:
    database = open_store(built_project)
    try:
        with database.begin() as connection:
            item = connection.execute(sa.select(ReviewItem).order_by(ReviewItem.id)).first()
            assert item is not None
            connection.execute(
                sa.update(ReviewItem)
                .where(ReviewItem.id == item.id)
                .values(
                    state="closed",
                    outcome="safeguarded",
                    review_by=date.today() - timedelta(days=1),
                )
            )
        done = CliRunner().invoke(app, ["expire", str(built_project)])
        assert done.exit_code == 0, done.output
        assert f"1 review item(s) back in triage: {item.entity_id}" in done.output
        with database.connect() as connection:
            state = connection.execute(
                sa.select(ReviewItem.state).where(ReviewItem.id == item.id)
            ).scalar_one()
        assert state == "triage"
        again = CliRunner().invoke(app, ["expire", str(built_project)])
        assert "0 review item(s)" in again.output
    finally:
        database.dispose()
