"""People ordered by name read from the index alone: (workspace, name, id) replaces
(workspace, name), so a page deep in the list skips its rows without reading the
table (PostgreSQL; SQLite indexes carry the rowid already)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("goodwill", "0011_name_trigrams"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="person",
            name="goodwill_pe_workspa_2857d9_idx",
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["workspace", "name", "id"], name="goodwill_pe_workspa_917f17_idx"
            ),
        ),
    ]
