"""Storage door: case files, accounts and the audit trail in a relational database.

`db.Database.open(url)` migrates and opens the database; `services` holds every read and
change (tenancy, roles, audit). Nothing here re-implements a rule: evaluation is
`proa.evaluate`.
"""
