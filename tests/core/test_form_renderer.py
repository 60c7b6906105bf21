"""core.forms.PortalFormRenderer: a <select> written in Python is Django's own HTML, faster."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from core.forms import PortalFormRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("a&b", 'Tom & "Jerry" <b>'), (3, "Three")])
    grouped = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("Group <1>", [("x", "Ex"), ("y", "Why")]),
            ("Group 2", [("z", "Zed")]),
        ]
    )
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")])
    attributes = forms.ChoiceField(
        choices=[("1", "One")],
        required=False,
        widget=forms.Select(
            attrs={"class": "form-select", "aria-describedby": 'help "x"', "disabled": True}
        ),
    )


DATA = {"plain": "a&b", "grouped": "y", "many": ["1", "3"], "attributes": "1"}


@pytest.mark.parametrize("bound", [True, False])
def test_a_select_is_the_html_of_django_s_templates(bound):
    fast = Everything(DATA if bound else None, renderer=PortalFormRenderer())
    django = Everything(DATA if bound else None, renderer=DjangoTemplates())
    for name in fast.fields:
        assert str(fast[name]) == str(django[name]), name


@pytest.mark.django_db
def test_a_list_of_organisations_renders_the_same_and_the_portal_uses_the_renderer():
    from members.models import Organisation

    Organisation.objects.bulk_create(
        Organisation(acronym=f"A{n:03d}", name=f"Agency & {n}", kind=Organisation.Kind.UN_AGENCY)
        for n in range(50)
    )

    class Filter(forms.Form):
        agency = forms.ModelChoiceField(Organisation.objects.order_by("acronym"), required=False)

    data = {"agency": Organisation.objects.get(acronym="A007").pk}
    fast = str(Filter(data, renderer=PortalFormRenderer())["agency"])
    assert fast == str(Filter(data, renderer=DjangoTemplates())["agency"])
    assert fast.count("<option") == 51 and "selected" in fast
    # The portal's forms use it.
    assert isinstance(Filter().renderer, PortalFormRenderer)
