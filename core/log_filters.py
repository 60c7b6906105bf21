"""Logging filters of the portal."""

import logging


class RefusedRequestFilter(logging.Filter):
    """A refused request (403) is logged as one line, who, what and why, never a traceback.

    Django logs a PermissionDenied with its traceback: a refusal is the portal working, and a
    probe of 951 forbidden URLs should not bury real errors under 951 tracebacks.
    """

    def filter(self, record):
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            who = f"user {user.pk}"
        else:
            who = "anonymous"
        exception = record.exc_info[1] if record.exc_info else None
        why = str(exception) if exception is not None and str(exception) else ""
        if not why:
            # CSRF refusals carry their reason in the message: "Forbidden (CSRF token missing.)".
            message = record.getMessage()
            why = message.split("(", 1)[1].split(")", 1)[0] if "(" in message else message
        what = f"{request.method} {request.get_full_path()}" if request is not None else "?"
        record.msg = "Refused %s for %s: %s"
        record.args = (what, who, why or "permission denied")
        record.exc_info = None
        record.exc_text = None
        return True
