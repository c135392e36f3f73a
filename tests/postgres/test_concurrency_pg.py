"""The 16-writer concurrency test (threads and CLI processes) against PostgreSQL."""

from __future__ import annotations

import pytest

from tests.postgres.test_migrate_to import new_database_url
from tests.services.test_concurrency import hammer

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("subprocess-heavy")]


def test_sixteen_concurrent_writers_on_postgresql_lose_nothing(tmp_path, postgresql_proc):
    hammer(new_database_url(postgresql_proc), tmp_path, "PostgreSQL")
