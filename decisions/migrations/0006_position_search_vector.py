"""A stored full-text vector of each position's reason and comment, with a GIN index (PostgreSQL).

The search finds a decision by the reasons agencies gave (see `core.search`); the SQLite
embedded default migrates without it.
"""

from django.db import migrations

from core.search import stored_vector, vector_sql


class Migration(migrations.Migration):
    dependencies = [("decisions", "0005_merge_reminder_search")]

    operations = [
        stored_vector("decisions_position", vector_sql(("reason", "B"), ("comment", "C"))),
    ]
