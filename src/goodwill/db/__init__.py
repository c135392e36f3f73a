"""The Django app: models, migrations and the query helpers services use."""
