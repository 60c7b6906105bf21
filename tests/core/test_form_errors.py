"""The error summary at the top of an invalid form (core/_form_errors.html, WCAG 3.3.1)."""

import re
from html import unescape

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation


class PositionLikeForm(forms.Form):
    stance = forms.ChoiceField(
        label="Position",
        choices=[("concur", "Concur"), ("object", "Object")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label="Reason", required=False, widget=forms.Textarea)
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("stance") == "object" and not data.get("reason"):
            self.add_error("reason", "An objection needs a reason.")
        raise ValidationError("Positions are closed.")


def render(form):
    return render_to_string("core/_form_fields.html", {"form": form})


def summary_of(html):
    """The error summary's opening tag, links (href → text) and list items, or None."""
    found = re.search(r"(<div[^>]*data-error-summary[^>]*>)(.*?)</div>", html, re.S)
    if found is None:
        return None
    body = found.group(2)
    return {
        "tag": found.group(1),
        "heading": unescape(re.sub(r"<[^>]+>", "", re.search(r"<h2.*?</h2>", body, re.S)[0])),
        "links": {
            href: unescape(text.strip())
            for href, text in re.findall(r'<a[^>]*href="([^"]+)"[^>]*>(.*?)</a>', body, re.S)
        },
        "items": [
            unescape(re.sub(r"<[^>]+>", "", item)).strip()
            for item in re.findall(r"<li>(.*?)</li>", body, re.S)
        ],
    }


def test_error_summary_lists_every_error_with_a_link_to_its_field():
    form = PositionLikeForm(data={"stance": "object", "reason": ""})
    assert not form.is_valid()

    summary = summary_of(render(form))

    assert 'role="alert"' in summary["tag"]
    assert 'tabindex="-1"' in summary["tag"]
    assert summary["links"] == {"#id_reason": "Reason: An objection needs a reason."}
    assert "Positions are closed." in summary["items"]
    assert "This field is required." in summary["items"]  # the hidden field, without a link
    assert "3 problems" in summary["heading"]


def test_error_summary_links_a_group_of_radio_buttons_to_its_first_button():
    form = PositionLikeForm(data={"reason": "x", "token": "t"})
    assert not form.is_valid()

    html = render(form)

    assert "#id_stance_0" in summary_of(html)["links"]
    assert 'id="id_stance_0"' in html


def test_no_error_summary_on_a_form_without_errors():
    assert summary_of(render(PositionLikeForm())) is None
    only_form_wide = PositionLikeForm(data={"stance": "concur", "token": "t"})
    only_form_wide.is_valid()
    assert summary_of(render(only_form_wide))["items"] == ["Positions are closed."]


def test_error_summary_in_arabic():
    form = PositionLikeForm(data={"stance": "object", "reason": ""})
    form.is_valid()
    with translation.override("ar"):
        heading = summary_of(render(form))["heading"]
    assert "problem" not in heading
