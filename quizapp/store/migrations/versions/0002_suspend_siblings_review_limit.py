"""suspended cards, sibling notes, the state a review started from

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from quizapp.deckfile.ids import sibling_note

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_cards = sa.table("cards", sa.column("id", sa.String), sa.column("note", sa.String))


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("suspended", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("note", sa.String(length=255), nullable=True))
        batch_op.create_index("ix_cards_note", ["note"], unique=False)
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_state", sa.Integer(), nullable=True))
    # Cards synced before: their notes, from the ids (a cloze card's id is its note's
    # plus /cN, a reversed card's its forward card's plus /reverse).
    conn = op.get_bind()
    ids = conn.execute(sa.select(_cards.c.id).where(_cards.c.id.like("%/%"))).scalars().all()
    notes = {card_id: sibling_note(card_id) for card_id in ids}
    for card_id, note in notes.items():
        if note is not None:
            conn.execute(_cards.update().where(_cards.c.id == card_id).values(note=note))
    forward = [note for card_id, note in notes.items() if note and card_id.endswith("/reverse")]
    for card_id in forward:
        conn.execute(_cards.update().where(_cards.c.id == card_id).values(note=card_id))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("prev_state")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index("ix_cards_note")
        batch_op.drop_column("note")
        batch_op.drop_column("suspended")
