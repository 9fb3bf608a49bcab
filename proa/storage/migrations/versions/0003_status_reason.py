"""The reason given with a status change (the OPCO's refusal must be reasoned, R6324-3),
shown to the employer with the status.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("status_reason", sa.String(2000), nullable=True))


def downgrade() -> None:
    op.drop_column("cases", "status_reason")  # plain ALTER TABLE (SQLite ≥ 3.35), as 0002
