"""Forms that cannot be sent twice: one idempotency token per rendered form.

A form that creates rows carries a hidden token, issued when the page is rendered
(`{% submission_token %}`). The view (`OncePerFormMixin`) records the token in the same
transaction as the rows the POST creates; the token is unique in the database, so a second POST
of the same rendered form — a double click 38 ms later, a browser retry, the back button — waits
for the first to commit, finds the token taken, creates nothing and is sent where the first one
went. A POST that fails validation rolls the token back, so the corrected form can be sent again.
"""

import secrets

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import FormSubmission

TOKEN_FIELD = "submission_token"  # noqa: S105 (a field name, not a secret)
TOKEN_MAX_LENGTH = FormSubmission._meta.get_field("token").max_length


def new_token():
    """A fresh, unguessable token for one rendered form."""
    return secrets.token_urlsafe(24)


def _answered(response):
    """The POST did its work: it redirected (plain form) or asked htmx to go elsewhere."""
    return 300 <= response.status_code < 400 or "HX-Redirect" in response


def _target(response):
    return response.get("HX-Redirect") or response.get("Location") or ""


class OncePerFormMixin:
    """A view whose POST creates rows: the same rendered form is acted on at most once.

    A POST without a token (an API client, an old page) is handled as before.
    """

    def dispatch(self, request, *args, **kwargs):
        token = request.POST.get(TOKEN_FIELD, "") if request.method == "POST" else ""
        if not token or not request.user.is_authenticated or len(token) > TOKEN_MAX_LENGTH:
            return super().dispatch(request, *args, **kwargs)
        with transaction.atomic():
            try:
                # The unique index makes a concurrent second POST wait for the first to commit.
                with transaction.atomic():
                    submission = FormSubmission.objects.create(token=token, user=request.user)
            except IntegrityError:
                return self.repeated_submission(request, token)
            response = super().dispatch(request, *args, **kwargs)
            if _answered(response):
                submission.redirect_to = _target(response)[:500]
                submission.save(update_fields=["redirect_to"])
            else:
                # Invalid input created nothing: the corrected form may use the token again.
                transaction.set_rollback(True)
        return response

    def repeated_submission(self, request, token):
        """The form was already sent: nothing is created, the user goes where the first went."""
        first = FormSubmission.objects.filter(token=token, user=request.user).first()
        messages.info(request, _("This form was already sent; it was not sent again."))
        target = first.redirect_to if first and first.redirect_to else request.path
        response = redirect(target)
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = target
        return response
