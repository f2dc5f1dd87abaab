"""The search index: SQLite FTS5 over the tokens, or a GIN index on PostgreSQL's tsvector."""

import django.db.models.deletion
import tsunagari.directory.search_models
from django.db import migrations, models

# FTS5 external content over directory_searchdocument, kept in step by triggers. The
# tokens are already normalised (tokens.py): the ascii tokenizer only splits on spaces
# and keeps every non-ASCII character as part of a word, as PostgreSQL's literal does.
SQLITE_UP = [
    """CREATE VIRTUAL TABLE directory_search_fts USING fts5(
        title, body,
        content='directory_searchdocument', content_rowid='resource_id',
        tokenize='ascii'
    )""",
    """CREATE TRIGGER directory_search_fts_ai AFTER INSERT ON directory_searchdocument BEGIN
        INSERT INTO directory_search_fts(rowid, title, body)
        VALUES (new.resource_id, new.title, new.body);
    END""",
    """CREATE TRIGGER directory_search_fts_ad AFTER DELETE ON directory_searchdocument BEGIN
        INSERT INTO directory_search_fts(directory_search_fts, rowid, title, body)
        VALUES ('delete', old.resource_id, old.title, old.body);
    END""",
    """CREATE TRIGGER directory_search_fts_au AFTER UPDATE ON directory_searchdocument BEGIN
        INSERT INTO directory_search_fts(directory_search_fts, rowid, title, body)
        VALUES ('delete', old.resource_id, old.title, old.body);
        INSERT INTO directory_search_fts(rowid, title, body)
        VALUES (new.resource_id, new.title, new.body);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS directory_search_fts_au",
    "DROP TRIGGER IF EXISTS directory_search_fts_ad",
    "DROP TRIGGER IF EXISTS directory_search_fts_ai",
    "DROP TABLE IF EXISTS directory_search_fts",
]
POSTGRES_UP = [
    "CREATE INDEX directory_searchdocument_vector_gin "
    "ON directory_searchdocument USING gin (vector)",
]
POSTGRES_DOWN = ["DROP INDEX IF EXISTS directory_searchdocument_vector_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0002_taxonomies'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchIndexEntry',
            fields=[
                ('resource', models.OneToOneField(db_column='rowid', db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='fts_entry', serialize=False, to='directory.resource')),
                ('title', models.TextField()),
                ('body', models.TextField()),
            ],
            options={
                'db_table': 'directory_search_fts',
                'managed': False,
            },
        ),
        migrations.CreateModel(
            name='SearchDocument',
            fields=[
                ('resource', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_document', serialize=False, to='directory.resource')),
                ('title', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('vector', tsunagari.directory.search_models.TokenVectorField(blank=True, default='')),
            ],
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        ),
    ]
