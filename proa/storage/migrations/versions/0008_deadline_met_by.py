"""A deadline met is no longer a deadline (issue 13, §4): each stored deadline records the
step of the case that meets it (`met_by`: the file sent to the OPCO, or the OPCO's answer),
so that a case sent no longer lists, puts in the calendar or reminds its sending deadline,
nor a case decided its decision date.

Revision ID: 0008_deadline_met_by
Revises: 0007_audit_append_function
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_deadline_met_by"
down_revision = "0007_audit_append_function"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case_deadlines", sa.Column("met_by", sa.String(20), nullable=True))
    # A migration does not run the engine: every verdict is judged again at start-up
    # (`proa.service.verdicts.refresh`), which stores each deadline's step.
    op.execute("UPDATE cases SET rulepack_version = NULL")


def downgrade() -> None:
    with op.batch_alter_table("case_deadlines") as batch:
        batch.drop_column("met_by")
