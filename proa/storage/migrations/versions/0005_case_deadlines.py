"""The dated deadlines of each case's verdict (issue 13, §2 and §4): lists sort by the next
one, the deadline views, the calendar feed and the reminders read them in the database.

Revision ID: 0005_case_deadlines
Revises: 0004a
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_case_deadlines"
down_revision = "0004a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_deadlines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "case_id",
            sa.Integer(),
            sa.ForeignKey("cases.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
    )
    op.create_index("ix_case_deadlines_case_id", "case_deadlines", ["case_id"])
    op.create_index("ix_case_deadlines_due", "case_deadlines", ["due_date", "case_id"])
    # A migration does not run the engine: every verdict is judged again at start-up
    # (`proa.service.verdicts.refresh`), which fills the deadlines.
    op.execute("UPDATE cases SET rulepack_version = NULL")


def downgrade() -> None:
    op.drop_table("case_deadlines")
