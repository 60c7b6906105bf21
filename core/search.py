"""Full-text search for the apps' search providers: one way to parse, match, rank and highlight.

A provider (see `core.registry.SearchProvider`) describes where the words of its results are
(`Source`: rows, the column that names the result, the text fields) and calls `find()`:

- On PostgreSQL each source is matched through a stored `tsvector` column with a GIN index (or,
  for small tables, a vector computed from the fields). A query is parsed into words here; each
  word is quoted and handed to `to_tsquery` as a parameter, in the `english` configuration
  (stemmed) or the `simple` one (as written: Arabic, names, references); the last word as a
  prefix (`'word':*`) once it has three letters. Results are ranked with `ts_rank` on the
  result's own vector, and `ts_headline` builds snippets for the returned rows only.
- Elsewhere (the SQLite embedded default of `make run`) every word must appear in one of the
  fields (`icontains`), results come in the provider's order, and snippets are cut in Python.

Snippets are safe HTML built from escaped text: the database marks matches with private-use
characters, which are turned into `<mark>` only after the text has been escaped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import unescape
from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQueryField,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import BooleanField, Expression, Func, Q, QuerySet, TextField, Value
from django.db.models.expressions import Col, RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

# What a person types is cut to this; a query is at most MAX_TERMS words.
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 50
# A query needs this many letters or digits in all; a last word shorter than PREFIX_LENGTH
# matches whole words only ("un" must not find every word that starts with "un").
MIN_QUERY_LENGTH = 2
PREFIX_LENGTH = 3
# The rows of each source a search ranks at most (see `find`).
CANDIDATES = 1000
# A source's newest rows tested first, and the matches among them that make a word common
# enough to be ranked among those alone (see `_found_through`).
PROBE_ROWS = 5000
PROBE_ENOUGH = 100
# Snippets: about this many words, around the first matches.
SNIPPET_WORDS = 30
SNIPPET_CHARS = 240

# Private-use characters mark matches in the database's output; never in the text shown.
_START, _STOP = "\ue000", "\ue001"
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Query:
    """What a person searched for: the text and the words used to match."""

    text: str
    terms: tuple[str, ...]

    def __bool__(self):
        return bool(self.terms)


def parse_query(text: str | None) -> Query:
    """The words of a query, ready for matching; empty when too short to search.

    Quotes and backslashes (the only characters with a meaning inside a quoted `to_tsquery`
    lexeme) are removed; a word without a letter or digit is dropped.
    """
    text = unicodedata.normalize("NFKC", text or "")[:MAX_QUERY_LENGTH]
    # Control characters (NUL cannot even reach PostgreSQL) and our own marks are no words.
    text = "".join(
        " " if unicodedata.category(char) == "Cc" or char in (_START, _STOP) else char
        for char in text
    ).strip()
    terms, seen = [], set()
    for token in text.split():
        token = token.replace("'", "").replace("\\", "")[:MAX_TERM_LENGTH]
        if not _WORD_CHAR.search(token) or token.casefold() in seen:
            continue
        seen.add(token.casefold())
        terms.append(token)
    if sum(1 for char in "".join(terms) if char.isalnum()) < MIN_QUERY_LENGTH:
        terms = []
    return Query(text=text, terms=tuple(terms[:MAX_TERMS]))


def _lexeme(term, *, prefix):
    """A term as `to_tsquery` input: quoted (the parser splits it as it split the text).

    The last word of a query matches as a prefix (the person may not have finished typing
    it), once it is PREFIX_LENGTH long; the words before it match whole words, which the GIN
    index answers without scanning a range of its entries.
    """
    quoted = f"'{term}'"
    if prefix and sum(char.isalnum() for char in term) >= PREFIX_LENGTH:
        return f"{quoted}:*"
    return quoted


class TsQuery(Expression):
    """The query as a `tsquery`: each word in its english or simple form; all words required."""

    output_field = SearchQueryField()

    def __init__(self, query: Query):
        super().__init__()
        self.query = query

    def as_sql(self, compiler, connection):
        one = "(to_tsquery('english'::regconfig, %s) || to_tsquery('simple'::regconfig, %s))"
        params = []
        last = len(self.query.terms) - 1
        for index, term in enumerate(self.query.terms):
            params += [_lexeme(term, prefix=index == last)] * 2
        return "(" + " && ".join([one] * len(self.query.terms)) + ")", params


class StoredVector(Expression):
    """A `tsvector` column that is not a model field (added by a PostgreSQL-only migration)."""

    def __init__(self, column="search_vector"):
        super().__init__(output_field=SearchVectorField())
        self.column = column

    def resolve_expression(self, query=None, *args, **kwargs):
        field = SearchVectorField()
        field.set_attributes_from_name(self.column)
        # A column of the query's base table, relabelled like any other when it is a subquery.
        return Col(query.get_initial_alias(), field)


class Matches(Func):
    """`vector @@ query`: a condition a queryset can filter on."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()
    conditional = True


@dataclass(frozen=True)
class Source:
    """Rows whose words find a result.

    `queryset`: the rows that may be searched (already limited to what may be shown: approved
    minutes, accepted agenda items); `key`: the column holding the result's primary key ("pk"
    for the result's own text); `fields`: the text columns (snippets, and matching off
    PostgreSQL); `vector`: the stored `tsvector` column, or None to compute one from `fields`
    (small tables only: it is not indexed); `snippet_fields`: where snippets are cut from, when
    not every field (the title is shown anyway); `html`: the fields hold HTML (minutes).
    """

    queryset: QuerySet
    fields: tuple[str, ...]
    key: str = "pk"
    vector: str | None = "search_vector"
    # The fields a snippet is cut from, when not all `fields` (a title shown anyway).
    snippet_fields: tuple[str, ...] = ()
    # The fields hold (sanitised) HTML: snippets show its text, without tags or entities.
    html: bool = False

    def vector_expression(self):
        if self.vector:
            return StoredVector(self.vector)
        return SearchVector(*self.fields, config="english") + SearchVector(
            *self.fields, config="simple"
        )

    def match_expression(self, query: Query) -> Matches:
        """`vector @@ query` for this source (PostgreSQL)."""
        return Matches(self.vector_expression(), TsQuery(query))

    def matching(self, query: Query) -> QuerySet:
        """The rows of this source that match the query."""
        if _full_text():
            return self.queryset.filter(self.match_expression(query))
        condition = Q()
        for term in query.terms:
            condition &= _any_field_contains(self.fields, term)
        return self.queryset.filter(condition)


@dataclass
class Hit:
    """A found row, its rank, a highlighted snippet and the source whose text gave it."""

    obj: Any
    rank: float = 0.0
    snippet: str = ""  # safe HTML (core.search builds it from escaped text)
    source: int | None = None


def find(
    queryset: QuerySet,
    query: Query,
    *,
    sources: list[Source],
    limit: int,
    offset: int = 0,
    order_by: tuple[str, ...] = ("-pk",),
) -> list[Hit]:
    """The rows of `queryset` (what the person may open) found through any of `sources`.

    Best first on PostgreSQL (the rank of the source whose key is "pk", then `order_by`); in
    `order_by` elsewhere. Each source yields at most CANDIDATES rows before they are ranked: for
    a common word the newest rows that hold it, otherwise those its GIN index gives first (see
    `_found_through`), so a word found in every row of a large table costs no more than a rarer
    one (the person adds a word to narrow the results). Snippets come from the
    first source whose text matches a row. Queries: one for the rows, then one per source until
    every row has a highlighted snippet.
    """
    if not query or limit <= 0:
        return []
    found = queryset.filter(_found_through(sources, query))
    own = next((source for source in sources if source.key == "pk"), None)
    if _full_text() and own is not None:
        found = found.annotate(
            search_rank=SearchRank(own.vector_expression(), TsQuery(query))
        ).order_by("-search_rank", *order_by)
    else:
        found = found.order_by(*order_by)
    hits = [
        Hit(obj=obj, rank=getattr(obj, "search_rank", 0.0))
        for obj in found[offset : offset + limit]
    ]
    _add_snippets(hits, query, sources)
    return hits


def _found_through(sources, query):
    """The condition on the results' primary key: found through one of the sources."""
    if not _full_text():
        # SQLite takes no LIMIT inside a UNION; the embedded default holds few rows anyway.
        condition = Q()
        for source in sources:
            condition |= Q(pk__in=source.matching(query).values(source.key))
        return condition
    # Each source's candidates, in one UNION. First a probe: the source's newest PROBE_ROWS
    # rows (walking the primary key's btree backwards), tested one by one, stopped at
    # CANDIDATES matches. A common word (PROBE_ENOUGH matches there or more) is ranked among
    # those: the GIN index would build a bitmap of every row holding it (300,000 for a word
    # in every decision) before any LIMIT. A rarer word goes through the GIN index instead,
    # its first CANDIDATES rows; a one-time filter on the probe's count skips that scan for a
    # common word. Both are MATERIALIZED CTEs: the GIN one planned for all its rows (under a
    # plain LIMIT the planner, trusting a rough guess of how many rows a word matches, may
    # scan the whole table hoping to stop early, and a word that matches nothing then costs a
    # full scan), read only as far as the LIMIT asks.
    # A source without a stored vector (a few hundred rows: organisations, people) is matched
    # as it is, without a probe: its vectors are computed in the query.
    parts, params = [], []
    for index, source in enumerate(sources):
        matching = source.matching(query).order_by().values_list(source.key, flat=True)
        sql, source_params = matching.query.sql_with_params()
        if not source.vector:
            parts.append(
                f"(WITH found_{index} AS MATERIALIZED ({sql}) "  # noqa: S608
                f"SELECT * FROM found_{index} LIMIT {CANDIDATES})"
            )
            params.extend(source_params)
            continue
        newest = (
            source.queryset.annotate(search_hit=source.match_expression(query))
            .order_by("-pk")
            .values_list(source.key, "search_hit")[:PROBE_ROWS]
        )
        newest_sql, newest_params = newest.query.sql_with_params()
        # The source's own compiled SQL, its parameters kept apart (the words travel there).
        parts.append(
            f"(WITH probe_{index} AS MATERIALIZED ("  # noqa: S608
            f"SELECT key FROM ({newest_sql}) newest_{index} (key, hit) "
            f"WHERE hit LIMIT {CANDIDATES}), "
            f"found_{index} AS MATERIALIZED ({sql}) "
            f"SELECT key FROM probe_{index} "
            f"UNION ALL (SELECT * FROM found_{index} "
            f"WHERE (SELECT count(*) FROM probe_{index}) < {PROBE_ENOUGH} LIMIT {CANDIDATES}))"
        )
        params.extend(newest_params)
        params.extend(source_params)
    return Q(pk__in=RawSQL(" UNION ALL ".join(parts), params))  # noqa: S611


def _add_snippets(hits, query, sources):
    by_pk = {hit.obj.pk: hit for hit in hits}
    for index, source in enumerate(sources):
        waiting = [pk for pk, hit in by_pk.items() if hit.source is None]
        if not waiting:
            return
        rows = source.matching(query).filter(**{f"{source.key}__in": waiting})
        for key, snippet, matched in _snippets_of(rows, source, query):
            hit = by_pk.get(key)
            if hit is None or hit.source is not None:
                continue
            if matched:
                hit.snippet, hit.source = snippet, index
            elif not hit.snippet:
                # Found by its title: the start of its text, until another source has better.
                hit.snippet = snippet


def _snippets_of(rows, source, query):
    """(result key, snippet, whether it shows a match) of each row.

    `ts_headline` on PostgreSQL, Python elsewhere.
    """
    fields = source.snippet_fields or source.fields
    if _full_text():
        text = _joined(fields)
        headline = SearchHeadline(
            text,
            TsQuery(query),
            # english: a stemmed word is highlighted where the text has another form of it;
            # words in other scripts (Arabic) are kept as written by that configuration too.
            config="english",
            start_sel=_START,
            stop_sel=_STOP,
            max_words=SNIPPET_WORDS,
            min_words=SNIPPET_WORDS // 2,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
        for key, marked in rows.annotate(search_headline=headline).values_list(
            source.key, "search_headline"
        ):
            # ts_headline leaves tags out but keeps entities as written.
            marked = unescape(marked or "") if source.html else marked or ""
            yield key, _from_marked(marked), _START in marked
        return
    for row in rows.values(source.key, *fields):
        text = " … ".join(str(row[field]) for field in fields if row[field])
        if source.html:
            text = unescape(strip_tags(text))
        folded = text.casefold()
        matched = any(term.casefold() in folded for term in query.terms)
        yield row[source.key], excerpt(text, query), matched


def _joined(fields):
    if len(fields) == 1:
        return fields[0]
    parts = []
    for field in fields:
        if parts:
            parts.append(Value(" … "))
        parts.append(field)
    return Concat(*parts, output_field=TextField())


def _from_marked(marked: str) -> SafeString:
    """Safe HTML from the database's marked text: escaped, then the marks become `<mark>`."""
    html, inside = [], False
    for part in re.split(f"([{_START}{_STOP}])", marked):
        if part == _START:
            if not inside:
                html.append("<mark>")
                inside = True
        elif part == _STOP:
            if inside:
                html.append("</mark>")
                inside = False
        else:
            html.append(escape(part))
    if inside:
        html.append("</mark>")
    return mark_safe("".join(html))  # noqa: S308 (escaped above)


def excerpt(text: str, query: Query, length: int = SNIPPET_CHARS) -> SafeString:
    """A window of `text` around the first word of the query, the words highlighted."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    folded = text.casefold()
    positions = [folded.find(term.casefold()) for term in query.terms]
    positions = [position for position in positions if position >= 0]
    start = 0
    if positions and min(positions) > length // 3:
        start = text.rfind(" ", 0, min(positions) - length // 3) + 1
    window = text[start : start + length]
    marked = highlight(window, query)
    prefix = "… " if start else ""
    suffix = " …" if start + length < len(text) else ""
    return mark_safe(f"{prefix}{marked}{suffix}")  # noqa: S308 (highlight escapes)


def highlight(text: str, query: Query) -> SafeString:
    """`text` escaped, with the words of the query (as typed, any case) in `<mark>`."""
    text = text or ""
    if not query.terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(term) for term in query.terms), re.IGNORECASE)
    html, last = [], 0
    for match in pattern.finditer(text):
        html.append(escape(text[last : match.start()]))
        html.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    html.append(escape(text[last:]))
    return mark_safe("".join(html))  # noqa: S308 (escaped above)


def _any_field_contains(fields, term):
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": term})
    return condition


def _full_text():
    return connection.vendor == "postgresql"


def stored_vector(table: str, vector_sql: str, column: str = "search_vector"):
    """A migration operation adding a generated `tsvector` column and its GIN index to `table`.

    PostgreSQL only (the SQLite embedded default migrates without it: `find` falls back to
    `icontains` there). The database keeps the column up to date (`GENERATED ALWAYS ... STORED`).
    `vector_sql` combines `english` and `simple` vectors of the table's own columns.
    """
    from django.db import migrations

    def add(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} tsvector "
            f"GENERATED ALWAYS AS ({vector_sql}) STORED"
        )
        schema_editor.execute(f"CREATE INDEX {table}_{column} ON {table} USING gin ({column})")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN {column}")

    return migrations.RunPython(add, drop)


def vector_sql(*weighted_columns: tuple[str, str]) -> str:
    """SQL of a `tsvector` of columns, each `(column, weight)`, in `english` and in `simple`.

    NULL when the columns hold no word.
    """
    parts = []
    for column, weight in weighted_columns:
        for config in ("english", "simple"):
            parts.append(
                f"setweight(to_tsvector('{config}'::regconfig, coalesce({column}, '')), '{weight}')"
            )
    # NULL for a row without text (most positions): it stays out of the index and the
    # planner's estimates, which count only rows with words.
    return f"NULLIF({' || '.join(parts)}, ''::tsvector)"
