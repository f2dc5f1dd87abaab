"""Filters in the search index: a facets column (FTS5) / facet tokens in the tsvector.

The FTS5 table gains a third column and keeps "_" and "-" inside tokens (facet tokens
such as kind_3 or lang_zh-hans); every document is then rebuilt by the current code.
"""

from django.db import migrations, models

SQLITE_UP = [
    "DROP TRIGGER IF EXISTS directory_search_fts_au",
    "DROP TRIGGER IF EXISTS directory_search_fts_ad",
    "DROP TRIGGER IF EXISTS directory_search_fts_ai",
    "DROP TABLE IF EXISTS directory_search_fts",
    """CREATE VIRTUAL TABLE directory_search_fts USING fts5(
        title, body, facets,
        content='directory_searchdocument', content_rowid='resource_id',
        tokenize="ascii tokenchars '_-'"
    )""",
    """CREATE TRIGGER directory_search_fts_ai AFTER INSERT ON directory_searchdocument BEGIN
        INSERT INTO directory_search_fts(rowid, title, body, facets)
        VALUES (new.resource_id, new.title, new.body, new.facets);
    END""",
    """CREATE TRIGGER directory_search_fts_ad AFTER DELETE ON directory_searchdocument BEGIN
        INSERT INTO directory_search_fts(directory_search_fts, rowid, title, body, facets)
        VALUES ('delete', old.resource_id, old.title, old.body, old.facets);
    END""",
    """CREATE TRIGGER directory_search_fts_au AFTER UPDATE ON directory_searchdocument BEGIN
        INSERT INTO directory_search_fts(directory_search_fts, rowid, title, body, facets)
        VALUES ('delete', old.resource_id, old.title, old.body, old.facets);
        INSERT INTO directory_search_fts(rowid, title, body, facets)
        VALUES (new.resource_id, new.title, new.body, new.facets);
    END""",
    # Index the existing documents, so that the triggers can delete them again.
    "INSERT INTO directory_search_fts(directory_search_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS directory_search_fts_au",
    "DROP TRIGGER IF EXISTS directory_search_fts_ad",
    "DROP TRIGGER IF EXISTS directory_search_fts_ai",
    "DROP TABLE IF EXISTS directory_search_fts",
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
    "INSERT INTO directory_search_fts(directory_search_fts) VALUES ('rebuild')",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def reindex(apps, schema_editor):
    """Documents are derived data: rebuild them all with the facets (current code)."""
    from tsunagari.directory.search import reindex_all

    if apps.get_model("directory", "Resource").objects.exists():
        reindex_all()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_search_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="facets",
            field=models.TextField(blank=True, default=""),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="searchindexentry",
            name="facets",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP}), _run({"sqlite": SQLITE_DOWN}), elidable=False
        ),
        migrations.RunPython(reindex, migrations.RunPython.noop),
    ]
