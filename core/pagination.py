"""Keyset ("seek") pagination for lists that grow: no OFFSET, no whole-table count.

Django's `Paginator` runs `COUNT(*)` over the whole filtered list and reads page n with
`OFFSET (n - 1) * size`: both read every row before the page, so page 400 of the decision
register costs as much as reading the register. A keyset page instead starts right after the
last row shown: the link to the next page carries that row's sort key and primary key in an
opaque `?after=` cursor (`?before=` for the previous page), and the database seeks to it through
the index that serves the ordering. The count shown above a list stops at `COUNT_CAP` ("more
than 10,000"), read from an index-only `LIMIT` subquery.

    page = keyset_page(request, queryset, ordering=["-year", "-sequence", "-created_at"])

`ordering` lists the sort keys as `order_by` strings ("-starts_at", "meeting__starts_at") or
`SortKey`s (to put a nullable key's NULLs last, or to sort by an annotation that may be NULL);
the primary key is added as the final tie-breaker. NULLs sort as PostgreSQL sorts them by
default (after every value ascending, before every value descending) on every database, so
the indexes serve the ordering. An old `?page=` link opens the first page.
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import BooleanField, Expression, F, Q

COUNT_CAP = 10_000


@dataclass(frozen=True)
class SortKey:
    """One key of a keyset ordering: a field path or an annotation, ascending or descending."""

    name: str
    descending: bool = False
    # None: PostgreSQL's default (NULLs count as larger than every value).
    nulls_last: bool | None = None
    # Whether the key may be NULL; None: read it from the model field (an annotation: no).
    nullable: bool | None = None

    @classmethod
    def parse(cls, key):
        if isinstance(key, SortKey):
            return key
        if key.startswith("-"):
            return cls(key[1:], descending=True)
        return cls(key)

    @property
    def places_nulls_last(self):
        if self.nulls_last is not None:
            return self.nulls_last
        return not self.descending

    def reversed(self):
        return SortKey(
            self.name,
            descending=not self.descending,
            nulls_last=not self.places_nulls_last,
            nullable=self.nullable,
        )

    def order_expression(self):
        options = {"nulls_last": True} if self.places_nulls_last else {"nulls_first": True}
        expression = F(self.name)
        return expression.desc(**options) if self.descending else expression.asc(**options)


@dataclass
class KeysetPage:
    """One page of a keyset-paginated list, with the cursors of its neighbours."""

    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None
    previous_cursor: str | None
    count: int
    count_capped: bool
    per_page: int
    cap: int = COUNT_CAP
    is_first: bool = field(default=True)

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous


def _model_field(model, path):
    """The model field at the end of a `__` path, or None for an annotation."""
    field_ = None
    for part in path.split("__"):
        if part == "pk":
            field_ = model._meta.pk
        else:
            try:
                field_ = model._meta.get_field(part)
            except FieldDoesNotExist:
                return None
        if field_.is_relation and field_.related_model is not None:
            model = field_.related_model
    return field_


def _value_of(obj, path):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return getattr(obj, "pk", obj) if hasattr(obj, "_meta") else obj


class _CursorEncoder(DjangoJSONEncoder):
    def default(self, o):
        # DjangoJSONEncoder cuts times to milliseconds; a key must round-trip exactly.
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


def encode_cursor(values):
    raw = json.dumps(values, cls=_CursorEncoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor, keys, model):
    """The key values a cursor carries, converted back to Python; None when it is not valid."""
    if not cursor or len(cursor) > 1000:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    converted = []
    for key, value in zip(keys, values, strict=True):
        if value is None:
            converted.append(None)
            continue
        if isinstance(value, (dict, list)):
            return None
        model_field = _model_field(model, key.name)
        if model_field is not None:
            target = getattr(model_field, "target_field", model_field)
            try:
                value = target.to_python(value)
            except (ValidationError, TypeError, ValueError):
                return None
        converted.append(value)
    return converted


class _RowBeyond(Expression):
    """`(a, b) <= (x, y)`: a row comparison the database answers by seeking in an index.

    The OR of the exact conditions (`a < x OR (a = x AND b < y)`) selects the right rows, but a
    planner reads it as a filter and walks the index from the start to the cursor; this
    redundant condition tells it where to start.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, names, values, operator):
        super().__init__()
        self.names, self.values, self.operator = names, values, operator
        self.columns = []

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        clone = self.copy()
        clone.columns = [
            F(name).resolve_expression(query, allow_joins, reuse, summarize) for name in self.names
        ]
        return clone

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        columns, params = [], []
        for column in self.columns:
            sql, column_params = compiler.compile(column)
            columns.append(sql)
            params.extend(column_params)
        values = [
            column.output_field.get_db_prep_value(value, connection)
            for column, value in zip(self.columns, self.values, strict=True)
        ]
        placeholders = ", ".join(["%s"] * len(values))
        return f"({', '.join(columns)}) {self.operator} ({placeholders})", [*params, *values]


class _KeyOrder:
    def __init__(self, keys, model):
        self.keys = keys
        self.nullable = []
        for key in keys:
            if key.nullable is not None:
                self.nullable.append(key.nullable)
            else:
                model_field = _model_field(model, key.name)
                self.nullable.append(bool(model_field is not None and model_field.null))

    def reversed(self, model):
        return _KeyOrder([key.reversed() for key in self.keys], model)

    def order_by(self):
        return [key.order_expression() for key in self.keys]

    def after(self, values):
        """Rows that come strictly after the row with these key values in this ordering."""
        condition = Q(pk__in=[])
        equal = Q()
        for key, nullable, value in zip(self.keys, self.nullable, values, strict=True):
            lookup = "lt" if key.descending else "gt"
            if value is None:
                # Only non-NULL values follow a NULL that sorts first; nothing follows one
                # that sorts last.
                beyond = None if key.places_nulls_last else Q(**{f"{key.name}__isnull": False})
                same = Q(**{f"{key.name}__isnull": True})
            else:
                beyond = Q(**{f"{key.name}__{lookup}": value})
                if nullable and key.places_nulls_last:
                    beyond |= Q(**{f"{key.name}__isnull": True})
                same = Q(**{key.name: value})
            if beyond is not None:
                condition |= equal & beyond
            equal &= same
        seek = self._seek(values)
        return seek & condition if seek is not None else condition

    def _seek(self, values):
        """The row comparison the exact condition implies, over the longest leading run of keys
        it holds for: one direction, and a value after which no NULL of the key comes."""
        names, prefix = [], []
        for key, nullable, value in zip(self.keys, self.nullable, values, strict=True):
            if key.descending != self.keys[0].descending or value is None:
                break
            if nullable and key.places_nulls_last:
                break
            names.append(key.name)
            prefix.append(value)
        if not names:
            return None
        return _RowBeyond(names, prefix, "<=" if self.keys[0].descending else ">=")


def capped_count(queryset, cap=None):
    """How many rows the list has, counting no further than `cap + 1`."""
    cap = COUNT_CAP if cap is None else cap
    return queryset.order_by().values("pk")[: cap + 1].count()


def _fetch(queryset, forward, model, after, before, per_page):
    order = forward.reversed(model) if before else forward
    rows = queryset.order_by(*order.order_by())
    cursor = after or before
    if cursor:
        rows = rows.filter(order.after(cursor))
    rows = list(rows[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    if before:
        rows.reverse()
        return rows, True, more
    return rows, more, bool(after)


def keyset_page(request, queryset, *, ordering, per_page=25, count=True):
    """The page of `queryset` the request's `after`/`before` cursor points at (the first page
    without one), in `ordering` with the primary key as the final tie-breaker."""
    model = queryset.model
    keys = [SortKey.parse(key) for key in ordering]
    if not any(key.name in ("pk", model._meta.pk.name) for key in keys):
        keys.append(SortKey("pk", descending=keys[-1].descending if keys else False))
    forward = _KeyOrder(keys, model)
    after = decode_cursor(request.GET.get("after"), keys, model)
    before = None if after else decode_cursor(request.GET.get("before"), keys, model)

    rows, has_next, has_previous = _fetch(queryset, forward, model, after, before, per_page)
    if not rows and (after or before):
        # A cursor past either end (its rows were deleted, or it was edited): the first page.
        after = before = None
        rows, has_next, has_previous = _fetch(queryset, forward, model, None, None, per_page)

    def cursor_of(row):
        return encode_cursor([_value_of(row, key.name) for key in keys])

    total = capped_count(queryset) if count else 0
    return KeysetPage(
        object_list=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=cursor_of(rows[-1]) if rows else None,
        previous_cursor=cursor_of(rows[0]) if rows else None,
        count=min(total, COUNT_CAP),
        count_capped=total > COUNT_CAP,
        cap=COUNT_CAP,
        per_page=per_page,
        is_first=not (after or before),
    )


def cursor_after(queryset, *, ordering, index):
    """The `after` cursor of the page that starts after row `index` of `queryset` in
    `ordering`, or None when there is no such row (the benchmark's deep pages; reading row
    `index` costs an OFFSET once, here, never on a page view)."""
    model = queryset.model
    keys = [SortKey.parse(key) for key in ordering]
    if not any(key.name in ("pk", model._meta.pk.name) for key in keys):
        keys.append(SortKey("pk", descending=keys[-1].descending if keys else False))
    rows = list(queryset.order_by(*_KeyOrder(keys, model).order_by())[index : index + 1])
    return encode_cursor([_value_of(rows[0], key.name) for key in keys]) if rows else None
