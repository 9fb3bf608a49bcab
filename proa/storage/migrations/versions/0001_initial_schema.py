"""Initial schema, with the audit trail made append-only by triggers.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
NOW = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(name: str, target: str, ondelete: str, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(
        name, sa.Integer(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable
    )


def upgrade() -> None:
    op.create_table(
        "organisations",
        _id(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
    )
    op.create_table(
        "organisation_links",
        sa.Column(
            "parent_id",
            sa.Integer(),
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "child_id",
            sa.Integer(),
            sa.ForeignKey("organisations.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_table(
        "employees",
        _id(),
        _fk("organisation_id", "organisations.id", "CASCADE"),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("erased_at", NOW, nullable=True),
    )
    op.create_index("ix_employees_organisation_id", "employees", ["organisation_id"])
    op.create_table(
        "users",
        _id(),
        sa.Column("email", sa.String(320), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        _fk("organisation_id", "organisations.id", "CASCADE"),
        _fk("employee_id", "employees.id", "SET NULL", nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", NOW, nullable=False),
    )
    op.create_index("ix_users_organisation_id", "users", ["organisation_id"])
    op.create_table(
        "sessions",
        _id(),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _fk("user_id", "users.id", "CASCADE"),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("expires_at", NOW, nullable=False),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "login_failures",
        _id(),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("at", NOW, nullable=False),
    )
    op.create_index("ix_login_failures_key_hash", "login_failures", ["key_hash"])
    op.create_table(
        "cases",
        _id(),
        _fk("organisation_id", "organisations.id", "CASCADE"),
        _fk("employee_id", "employees.id", "CASCADE"),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        _fk("created_by", "users.id", "SET NULL", nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.Column("updated_at", NOW, nullable=False),
    )
    op.create_index("ix_cases_organisation_id", "cases", ["organisation_id"])
    op.create_index("ix_cases_employee_id", "cases", ["employee_id"])
    op.create_table(
        "case_versions",
        _id(),
        _fk("case_id", "cases.id", "CASCADE"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        _fk("created_by", "users.id", "SET NULL", nullable=True),
        sa.Column("created_at", NOW, nullable=False),
        sa.UniqueConstraint("case_id", "version"),
    )
    op.create_table(
        "evaluations",
        _id(),
        _fk("case_id", "cases.id", "CASCADE"),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("rulepack_version", sa.String(60), nullable=False),
        sa.Column("regime", sa.String(40), nullable=True),
        sa.Column("decision", sa.String(20), nullable=False),
        sa.Column("result", JSON, nullable=False),
        _fk("created_by", "users.id", "SET NULL", nullable=True),
        sa.Column("created_at", NOW, nullable=False),
    )
    op.create_index("ix_evaluations_case_id", "evaluations", ["case_id"])
    op.create_table(
        "documents",
        _id(),
        _fk("case_id", "cases.id", "CASCADE"),
        sa.Column("case_version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("rulepack_version", sa.String(60), nullable=False),
        _fk("created_by", "users.id", "SET NULL", nullable=True),
        sa.Column("created_at", NOW, nullable=False),
    )
    op.create_index("ix_documents_case_id", "documents", ["case_id"])
    op.create_table(
        "audit_events",
        _id(),
        sa.Column("at", NOW, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("before_hash", sa.String(64), nullable=True),
        sa.Column("after_hash", sa.String(64), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_audit_events_organisation_id", "audit_events", ["organisation_id"])
    op.create_index("ix_audit_events_entity", "audit_events", ["entity", "entity_id"])
    _append_only_triggers()


def _append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION 'audit trail is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE OR TRUNCATE "
            "ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_no_{event.lower()} BEFORE {event} ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_append_only ON audit_events")
        op.execute("DROP FUNCTION audit_append_only()")
    for table in (
        "audit_events",
        "documents",
        "evaluations",
        "case_versions",
        "cases",
        "login_failures",
        "sessions",
        "users",
        "employees",
        "organisation_links",
        "organisations",
    ):
        op.drop_table(table)
