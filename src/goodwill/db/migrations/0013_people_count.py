"""How many people each workspace has (goodwill.db.models.matches.PeopleCount),
kept by triggers in the same transaction as people are added or deleted, and
filled from the people already there.

SQLite: a row trigger per person (an upsert of one row is cheap there).
PostgreSQL: statement triggers over the rows a statement added or deleted (one
update per statement, not per row: one row updated 100,000 times in a transaction
would leave a chain of 100,000 versions to walk). Loads that insert row by row
set ``goodwill.bulk`` for their transaction and write the count once at the end
(db.deferred.derived_deferred)."""

import django.db.models.deletion
from django.db import migrations, models

from goodwill.db.vendor import vendor_sql

FILL = (
    "INSERT INTO goodwill_peoplecount (workspace_id, people) "
    "SELECT workspace_id, count(*) FROM goodwill_person GROUP BY workspace_id"
)
SQLITE_FORWARD = [
    """CREATE TRIGGER goodwill_count_person_ai AFTER INSERT ON goodwill_person BEGIN
        INSERT INTO goodwill_peoplecount (workspace_id, people) VALUES (new.workspace_id, 1)
        ON CONFLICT (workspace_id) DO UPDATE SET people = people + 1; END""",
    """CREATE TRIGGER goodwill_count_person_ad AFTER DELETE ON goodwill_person BEGIN
        UPDATE goodwill_peoplecount SET people = people - 1
        WHERE workspace_id = old.workspace_id; END""",
    FILL,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS goodwill_count_person_ai",
    "DROP TRIGGER IF EXISTS goodwill_count_person_ad",
]
BULK = "coalesce(current_setting('goodwill.bulk', true), '') = '1'"
PG_FORWARD = [
    f"""CREATE FUNCTION goodwill_count_added() RETURNS trigger AS $$
    BEGIN
        IF NOT {BULK} THEN
            INSERT INTO goodwill_peoplecount (workspace_id, people)
            SELECT workspace_id, count(*) FROM added GROUP BY workspace_id
            ON CONFLICT (workspace_id)
            DO UPDATE SET people = goodwill_peoplecount.people + excluded.people;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    f"""CREATE FUNCTION goodwill_count_gone() RETURNS trigger AS $$
    BEGIN
        IF NOT {BULK} THEN
            UPDATE goodwill_peoplecount c SET people = c.people - g.n
            FROM (SELECT workspace_id, count(*) AS n FROM gone GROUP BY workspace_id) g
            WHERE c.workspace_id = g.workspace_id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER goodwill_count_person_ai AFTER INSERT ON goodwill_person
        REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION goodwill_count_added()""",
    """CREATE TRIGGER goodwill_count_person_ad AFTER DELETE ON goodwill_person
        REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION goodwill_count_gone()""",
    FILL,
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS goodwill_count_person_ai ON goodwill_person",
    "DROP TRIGGER IF EXISTS goodwill_count_person_ad ON goodwill_person",
    "DROP FUNCTION IF EXISTS goodwill_count_added()",
    "DROP FUNCTION IF EXISTS goodwill_count_gone()",
]


class Migration(migrations.Migration):
    dependencies = [
        ("goodwill", "0012_person_name_id_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="PeopleCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("people", models.BigIntegerField(default=0)),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="goodwill.workspace",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("workspace",), name="people_count_once")
                ],
            },
        ),
        vendor_sql(SQLITE_FORWARD, SQLITE_BACKWARD, PG_FORWARD, PG_BACKWARD),
    ]
