"""The search index of the directory (検索索引), kept beside the resources it describes.

SearchDocument holds a resource's normalised tokens (see tokens.py). The database finds
words in it with its own full-text index:

- SQLite: the FTS5 table ``directory_search_fts`` (external content over this table, kept
  in step by triggers), reached from Django through the unmanaged SearchIndexEntry;
- PostgreSQL: ``vector``, a tsvector built from the same tokens, with a GIN index.

Both also hold the filters a resource passes as facet tokens (search.facet_tokens), in
their own column on SQLite and without positions in the tsvector on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from django.db import models

FTS_TABLE = "directory_search_fts"


class TokenVectorField(models.TextField):
    """A tsvector on PostgreSQL (written as a literal, never parsed); unused text elsewhere."""

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder_sql(
        self, value: Any, compiler: Any, connection: Any
    ) -> tuple[str, list[Any]]:
        return ("%s::tsvector" if connection.vendor == "postgresql" else "%s"), [value]


class SearchDocument(models.Model):
    """One resource's tokens: its name (weighted high) and everything else a resident reads."""

    resource = models.OneToOneField(
        "directory.Resource",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # SQLite: the text the FTS5 table indexes. PostgreSQL: empty; the tsvector holds it all.
    title = models.TextField(blank=True)  # tokens of the name, reading and provider
    body = models.TextField(blank=True)  # tokens of the description, terms, places, schedules
    facets = models.TextField(blank=True)  # filter tokens (search.facet_tokens), never typed
    vector = TokenVectorField(blank=True, default="")

    def __str__(self) -> str:
        return f"search document of {self.resource_id}"


class SearchIndexEntry(models.Model):
    """The SQLite FTS5 table, so that a query can join it (and rank with bm25)."""

    resource = models.OneToOneField(
        "directory.Resource",
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="fts_entry",
    )
    title = models.TextField()
    body = models.TextField()
    facets = models.TextField()

    class Meta:
        managed = False
        db_table = FTS_TABLE

    def __str__(self) -> str:
        return str(self.resource_id)
