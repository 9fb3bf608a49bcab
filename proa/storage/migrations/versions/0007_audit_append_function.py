"""PostgreSQL links each audit event itself (issue 12, §2): `proa_audit_append` takes the
organisation's chain lock, reads the previous hash and inserts the event with its hash in one
call, so that the lock is held for one round trip and the commit, not for three round trips
and the Python work between them (under load, a thread waiting for the interpreter while
holding the lock made every writer of the organisation wait). The hash is the one Python
computes (`proa.service.audit`): SHA-256 of the canonical JSON of the event's fields, the
previous hash first — the caller gives the JSON of the fields after it.

Revision ID: 0007_audit_append_function
Revises: 0006_deadline_alerts
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0007_audit_append_function"
down_revision = "0006_deadline_alerts"
branch_labels = None
depends_on = None

# VOLATILE (the default): each statement in it reads a fresh snapshot, so the previous hash
# is read after the lock is granted, never from before the last holder's commit.
FUNCTION = """
CREATE FUNCTION proa_audit_append(
    p_space integer, p_org integer, p_at timestamptz, p_actor integer, p_action varchar,
    p_entity varchar, p_entity_id integer, p_before varchar, p_after varchar, p_tail text
) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    prev varchar(64);
BEGIN
    PERFORM pg_advisory_xact_lock(p_space, p_org);
    SELECT hash INTO prev FROM audit_events
        WHERE organisation_id = p_org AND org_chain ORDER BY id DESC LIMIT 1;
    prev := coalesce(prev, repeat('0', 64));
    INSERT INTO audit_events (at, actor_id, organisation_id, action, entity, entity_id,
                              before_hash, after_hash, prev_hash, hash, org_chain)
    VALUES (p_at, p_actor, p_org, p_action, p_entity, p_entity_id, p_before, p_after, prev,
            encode(sha256(convert_to('["' || prev || '",' || p_tail, 'UTF8')), 'hex'), true);
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "DROP FUNCTION proa_audit_append(integer, integer, timestamptz, integer, varchar, "
            "varchar, integer, varchar, varchar, text)"
        )
