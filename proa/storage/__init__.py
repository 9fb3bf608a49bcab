"""Storage: the relational model (`models`), engines and transactions (`db`) and the
Alembic migrations of case files, accounts and the audit trail. The use cases that read
and change them live in `proa.service`.
"""
