"""Rule: validation messages come from one place. A number's bounds are declared once, with one
message, and the model, its forms and the browser's number input all use that declaration."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from core.validators import RANGE_VALIDATORS
from meetings.forms import AgendaItemForm, GenerateYearForm
from meetings.models import AgendaItem
from tests.factories import MeetingFactory
from workplan.forms import FundingForm

PROJECT_APPS = {"core", "members", "meetings", "decisions", "workplan"}


@pytest.mark.parametrize("value", [-5, 0, 481])
def test_minutes_allotted_says_the_same_whatever_side_of_the_bounds(db, value):
    form = AgendaItemForm({"title": "Item", "minutes_allotted": value})
    assert form.errors["minutes_allotted"] == ["Between 1 and 480 minutes."]
    item = AgendaItem(meeting=MeetingFactory(), position=1, title="Item", minutes_allotted=value)
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert refused.value.message_dict["minutes_allotted"] == ["Between 1 and 480 minutes."]


def test_the_browser_is_told_the_same_bounds(db):
    widget = AgendaItemForm().fields["minutes_allotted"].widget
    assert (widget.attrs["min"], widget.attrs["max"]) == (1, 480)


@pytest.mark.parametrize(
    ("field", "values"), [("year", [1999, 2101]), ("duration_minutes", [0, 601])]
)
def test_form_only_numbers_say_the_same_whatever_side(db, field, values):
    messages = {tuple(GenerateYearForm({field: value}).errors[field]) for value in values}
    assert len(messages) == 1
    assert "greater than or equal" not in str(messages)


@pytest.mark.parametrize("amount", ["-1", "0"])
def test_funding_amount_has_one_message(db, amount):
    form = FundingForm(
        {"source_kind": "donor", "source": "EU", "amount": amount, "status": "pledged"}
    )
    assert form.errors["amount"] == ["Enter an amount greater than zero."]


def test_every_declared_bound_has_its_own_message():
    """No model field of the portal falls back on Django's stock "greater than or equal to"."""
    stock = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            for validator in field._validators:
                if isinstance(validator, RANGE_VALIDATORS) and (
                    validator.message == type(validator).message
                ):
                    stock.append(f"{model.__name__}.{field.name}")
    assert stock == []
