"""Deadlines that reach people (issue 13, §4): each user's calendar feed token (its hash)
and e-mail reminder choice, and the reminders sent (never twice).

Revision ID: 0006_deadline_alerts
Revises: 0005_case_deadlines
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_deadline_alerts"
down_revision = "0005_case_deadlines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deadline_alerts",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("calendar_token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("calendar_created_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_reminders", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("what_hash", sa.String(64), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "case_id", "what_hash", "due_date"),
    )
    op.create_index("ix_sent_reminders_case_id", "sent_reminders", ["case_id"])


def downgrade() -> None:
    op.drop_table("sent_reminders")
    op.drop_table("deadline_alerts")
