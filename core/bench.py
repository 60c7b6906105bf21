"""What `make bench` needs inside the server, present only when the BENCH setting is on.

`make bench` (bench/run.py) runs the portal as in production and asks two things of it that no
production server should answer: how many SQL queries a page costs, and how fast the thinnest
possible Django view is on the same server, for the ratio. Both are wired in by unnm/settings.py
and unnm/urls.py only under `BENCH=true`; with it off (the default) neither exists.
"""

from django.contrib.auth import get_user_model
from django.db import connections
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.test.utils import CaptureQueriesContext

# Sent by the harness on the one request per page it counts queries on; answered in the same
# header. wrk's timed requests do not send it, so they run without the capture.
QUERY_COUNT_HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts the SQL queries of a request that asks for it, sessions and streaming included.

    First in the chain, so the session, the user and every other middleware's queries count. A
    streamed response (the CSV export) runs its queries while it is sent: for the counted request
    it is read to the end inside the capture, then handed on as one chunk.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if QUERY_COUNT_HEADER not in request.headers:
            return self.get_response(request)
        with CaptureQueriesContext(connections["default"]) as captured:
            response = self.get_response(request)
            if response.streaming:
                content = b"".join(response.streaming_content)
                response.streaming_content = [content]
        response[QUERY_COUNT_HEADER] = str(len(captured))
        return response


def bare_view(request, pk):
    """One row read by its primary key, no template, no login: the floor a page is compared to."""
    user = get_object_or_404(get_user_model().objects.only("email"), pk=pk)
    return HttpResponse(user.email, content_type="text/plain; charset=utf-8")
