"""Proves the PostgreSQL run really is on PostgreSQL (the service tests run there too)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.postgres


@pytest.mark.django_db
def test_the_database_is_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        assert int(cur.fetchone()[0].split(".")[0]) >= 13
