"""Every filter and ordering the long lists apply is served by an index of the database.

Each row names a list, the model it reads and the columns one of its filters (or its keyset
ordering) constrains first; an index (a plain index, a unique constraint, a foreign key's own
index) must start with those columns. Dropping one of these indexes fails this test.
"""

import pytest
from django.apps import apps
from django.db import connection

pytestmark = pytest.mark.django_db

LIST_FILTERS = [
    # decisions:list (RegisterFilterForm) and its keyset order
    ("decision register: status", "decisions.Decision", ["status"]),
    ("decision register: year, ordered by number", "decisions.Decision", ["year", "sequence"]),
    ("decision register: procedure", "decisions.Decision", ["procedure"]),
    ("decision register: meeting", "decisions.Decision", ["meeting"]),
    ("decision register: tallies", "decisions.ElectorateMember", ["decision"]),
    ("decision register: tallies", "decisions.Position", ["decision"]),
    # meetings:list (upcoming / past) ordered by start
    ("meetings list: status, by start", "meetings.Meeting", ["status", "starts_at"]),
    ("meetings list: all, by start", "meetings.Meeting", ["starts_at"]),
    # meetings:actions (ActionFilterForm)
    ("action points: status, by due date", "meetings.ActionPoint", ["status", "due_date"]),
    ("action points: agency", "meetings.ActionPoint", ["owner_organisation"]),
    ("action points: mine", "meetings.ActionPoint", ["owner_person"]),
    ("action points: meeting", "meetings.ActionPoint", ["meeting"]),
    # workplan:detail (DeliverableFilterForm), ordered by number
    ("deliverables: the year, by number", "workplan.Deliverable", ["workplan", "number"]),
    ("deliverables: status", "workplan.Deliverable", ["workplan", "status"]),
    ("deliverables: lead agency", "workplan.Deliverable", ["workplan", "lead_agency"]),
    ("deliverables: thematic area", "workplan.Deliverable", ["workplan", "thematic_area"]),
    ("deliverables: ToR objective", "workplan.Deliverable_tor_objectives", ["torobjective"]),
    ("deliverables: GCM objective", "workplan.Deliverable_gcm_objectives", ["gcmobjective"]),
    (
        "deliverables: supporting agency",
        "workplan.Deliverable_supporting_agencies",
        ["organisation"],
    ),
    ("deliverables: last update", "workplan.ProgressUpdate", ["deliverable", "date"]),
    # referrals:index, newest first, and a referral's access log
    ("referrals sent, newest first", "referrals.Referral", ["from_organisation", "created_at"]),
    ("referrals received, newest first", "referrals.Referral", ["to_organisation", "created_at"]),
    ("referral access log, newest first", "referrals.AccessLogEntry", ["referral", "at"]),
]


def _column(model, name):
    return model._meta.get_field(name).column


def _index_columns(table):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return [
        spec["columns"]
        for spec in constraints.values()
        if (spec["index"] or spec["unique"] or spec["primary_key"]) and spec["columns"]
    ]


@pytest.mark.parametrize(
    ("list_filter", "label", "fields"), LIST_FILTERS, ids=[row[0] for row in LIST_FILTERS]
)
def test_each_list_filter_is_served_by_an_index(list_filter, label, fields):
    model = apps.get_model(label)
    wanted = [_column(model, name) for name in fields]

    leading = [columns[: len(wanted)] for columns in _index_columns(model._meta.db_table)]

    assert wanted in leading, f"{list_filter}: no index starts with {wanted} on {label}"


def test_a_filter_without_an_index_is_reported():
    # The check itself: a column no index starts with (the title) is not taken as covered.
    model = apps.get_model("workplan.Deliverable")
    leading = [columns[:1] for columns in _index_columns(model._meta.db_table)]

    assert [_column(model, "title")] not in leading
