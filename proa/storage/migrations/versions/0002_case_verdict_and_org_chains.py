"""The engine's verdict stored with each case (lists filter in the database), and one audit
chain per organisation (writers of different organisations no longer wait for each other).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Filled by the service at start-up (`proa.service.verdicts.refresh`): a migration does
    # not run the engine.
    op.add_column("cases", sa.Column("regime", sa.String(40), nullable=True))
    op.add_column("cases", sa.Column("decision", sa.String(20), nullable=True))
    op.add_column("cases", sa.Column("rulepack_version", sa.String(60), nullable=True))
    op.create_index("ix_cases_organisation_updated", "cases", ["organisation_id", "updated_at"])
    # Existing events keep their global chain (false); new ones chain per organisation.
    op.add_column(
        "audit_events",
        sa.Column("org_chain", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.drop_index("ix_audit_events_organisation_id", "audit_events")
    op.create_index("ix_audit_events_chain", "audit_events", ["organisation_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_chain", "audit_events")
    op.create_index("ix_audit_events_organisation_id", "audit_events", ["organisation_id"])
    op.drop_index("ix_cases_organisation_updated", "cases")
    # Plain ALTER TABLE (SQLite ≥ 3.35): a batch rebuild would lose the audit triggers.
    op.drop_column("audit_events", "org_chain")
    for column in ("rulepack_version", "decision", "regime"):
        op.drop_column("cases", column)
