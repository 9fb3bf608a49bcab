"""The English label of each stored deadline (issue 13 §5): the English interface lists the
coming deadlines and each case's next one in English, like the case page.

Revision ID: 0009_deadline_english
Revises: 0008_deadline_met_by
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_deadline_english"
down_revision = "0008_deadline_met_by"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case_deadlines", sa.Column("what_en", sa.Text(), nullable=True))
    # Judged again at start-up (`proa.service.verdicts.refresh`), which stores the labels.
    op.execute("UPDATE cases SET rulepack_version = NULL")


def downgrade() -> None:
    with op.batch_alter_table("case_deadlines") as batch:
        batch.drop_column("what_en")
