"""REST API door (FastAPI): `create_app()` in `proa.api.app`. Routes call
`proa.storage.services` and `proa.evaluate`; none holds a rule or a query of its own."""
