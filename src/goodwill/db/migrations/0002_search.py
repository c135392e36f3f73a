"""Full-text search over people, their notes and their interactions.

SQLite: an FTS5 table kept current by triggers; its rowid is 2*person.id for
a person's own text and 2*interaction.id+1 for a note, so updates and deletes
find their row by key instead of scanning. PostgreSQL: GIN indexes on the
same text as tsvectors ('simple' config, so names are not stemmed away).
The query side lives in goodwill.db.search.
"""

from django.db import migrations

from goodwill.db.search import PERSON_TEXT
from goodwill.db.vendor import vendor_sql

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE goodwill_fts USING fts5("
    "body, person_id UNINDEXED, workspace_id UNINDEXED, "
    "tokenize='unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER goodwill_fts_person_ai AFTER INSERT ON goodwill_person BEGIN
        INSERT INTO goodwill_fts(rowid, body, person_id, workspace_id)
        VALUES (new.id * 2, {PERSON_TEXT}, new.id, new.workspace_id); END""",
    f"""CREATE TRIGGER goodwill_fts_person_au AFTER UPDATE OF name, email, title, industry,
        needs, offers, goals, notes, personal, location ON goodwill_person BEGIN
        DELETE FROM goodwill_fts WHERE rowid = old.id * 2;
        INSERT INTO goodwill_fts(rowid, body, person_id, workspace_id)
        VALUES (new.id * 2, {PERSON_TEXT}, new.id, new.workspace_id); END""",
    """CREATE TRIGGER goodwill_fts_person_ad AFTER DELETE ON goodwill_person BEGIN
        DELETE FROM goodwill_fts WHERE rowid = old.id * 2; END""",
    """CREATE TRIGGER goodwill_fts_interaction_ai AFTER INSERT ON goodwill_interaction
        WHEN new.note <> '' BEGIN
        INSERT INTO goodwill_fts(rowid, body, person_id, workspace_id)
        VALUES (new.id * 2 + 1, new.note, new.person_id, new.workspace_id); END""",
    """CREATE TRIGGER goodwill_fts_interaction_au AFTER UPDATE OF note, person_id
        ON goodwill_interaction BEGIN
        DELETE FROM goodwill_fts WHERE rowid = old.id * 2 + 1;
        INSERT INTO goodwill_fts(rowid, body, person_id, workspace_id)
        SELECT new.id * 2 + 1, new.note, new.person_id, new.workspace_id WHERE new.note <> '';
        END""",
    """CREATE TRIGGER goodwill_fts_interaction_ad AFTER DELETE ON goodwill_interaction BEGIN
        DELETE FROM goodwill_fts WHERE rowid = old.id * 2 + 1; END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS goodwill_fts_person_ai",
    "DROP TRIGGER IF EXISTS goodwill_fts_person_au",
    "DROP TRIGGER IF EXISTS goodwill_fts_person_ad",
    "DROP TRIGGER IF EXISTS goodwill_fts_interaction_ai",
    "DROP TRIGGER IF EXISTS goodwill_fts_interaction_au",
    "DROP TRIGGER IF EXISTS goodwill_fts_interaction_ad",
    "DROP TABLE IF EXISTS goodwill_fts",
]
from goodwill.db.search import PERSON_DOC  # noqa: E402

PG_FORWARD = [
    f"CREATE INDEX goodwill_person_fts ON goodwill_person "
    f"USING gin (to_tsvector('simple', {PERSON_DOC}))",
    "CREATE INDEX goodwill_interaction_fts ON goodwill_interaction "
    "USING gin (to_tsvector('simple', note))",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS goodwill_person_fts",
    "DROP INDEX IF EXISTS goodwill_interaction_fts",
]


class Migration(migrations.Migration):
    dependencies = [("goodwill", "0001_initial")]
    operations = [vendor_sql(SQLITE_FORWARD, SQLITE_BACKWARD, PG_FORWARD, PG_BACKWARD)]
