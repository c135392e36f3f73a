"""Run the suite against a throwaway PostgreSQL cluster (GOODWILL_TEST_POSTGRES=1).

pytest-postgresql starts the cluster from Debian's binaries; when the tests run
as root, pg_ctl_as_postgres (beside this file) runs it as the `postgres` user.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pytest_postgresql import factories

_HERE = Path(__file__).resolve().parent
postgresql_proc = factories.postgresql_proc(
    executable=str(_HERE / "pg_ctl_as_postgres"),
    user="postgres",
    unixsocketdir="/tmp",
)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(postgresql_proc: Any) -> None:
    from django.db import connections

    # Update the dict Django's connection handler already holds, and drop any
    # SQLite connection opened before this fixture ran.
    db = connections.settings["default"]
    db.update(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "goodwill",
            "USER": postgresql_proc.user,
            "PASSWORD": postgresql_proc.password or "",
            "HOST": postgresql_proc.host,
            "PORT": postgresql_proc.port,
            "OPTIONS": {},
            "CONN_MAX_AGE": 0,
        }
    )
    db["TEST"] = {**db.get("TEST", {}), "NAME": f"goodwill_test_{os.getpid()}"}
    connections["default"].close()
    del connections["default"]
