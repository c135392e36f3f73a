"""Names found by any part of them, through an index: "ohn" finds John and
Johnson without reading every name of the workspace.

SQLite: an FTS5 table with the trigram tokenizer over ``goodwill_person.name``
(external content: it stores only the index), kept current by triggers; a
phrase of three or more characters matches every name containing it, in any
case. PostgreSQL: a GIN trigram index (pg_trgm) on ``upper(name)``, which is
what Django's ``icontains`` compares, so the ORM query uses it as it is. Where
pg_trgm cannot be installed (no superuser and not a trusted extension) the
index is left out and name search reads the table, as before.
The query side lives in goodwill.db.search.
"""

from django.db import migrations

from goodwill.db.vendor import vendor_sql

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE goodwill_name_trgm USING fts5("
    "name, content='goodwill_person', content_rowid='id', tokenize='trigram')",
    "INSERT INTO goodwill_name_trgm(goodwill_name_trgm) VALUES ('rebuild')",
    """CREATE TRIGGER goodwill_name_trgm_ai AFTER INSERT ON goodwill_person BEGIN
        INSERT INTO goodwill_name_trgm(rowid, name) VALUES (new.id, new.name); END""",
    """CREATE TRIGGER goodwill_name_trgm_au AFTER UPDATE OF name ON goodwill_person BEGIN
        INSERT INTO goodwill_name_trgm(goodwill_name_trgm, rowid, name)
        VALUES ('delete', old.id, old.name);
        INSERT INTO goodwill_name_trgm(rowid, name) VALUES (new.id, new.name); END""",
    """CREATE TRIGGER goodwill_name_trgm_ad AFTER DELETE ON goodwill_person BEGIN
        INSERT INTO goodwill_name_trgm(goodwill_name_trgm, rowid, name)
        VALUES ('delete', old.id, old.name); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS goodwill_name_trgm_ai",
    "DROP TRIGGER IF EXISTS goodwill_name_trgm_au",
    "DROP TRIGGER IF EXISTS goodwill_name_trgm_ad",
    "DROP TABLE IF EXISTS goodwill_name_trgm",
]
PG_FORWARD = [
    """DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
        RAISE NOTICE 'pg_trgm is not available: name search reads the table';
    END $$""",
    """DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
            CREATE INDEX goodwill_person_name_trgm ON goodwill_person
            USING gin (upper(name) gin_trgm_ops);
        END IF;
    END $$""",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS goodwill_person_name_trgm"]


class Migration(migrations.Migration):
    dependencies = [("goodwill", "0010_outreach_day")]
    operations = [vendor_sql(SQLITE_FORWARD, SQLITE_BACKWARD, PG_FORWARD, PG_BACKWARD)]
