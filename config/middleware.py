"""The project's own middleware: the client's address behind reverse proxies
(settings.TRUSTED_PROXIES), and UTF-8 only."""

from __future__ import annotations

import codecs

from django.conf import settings
from django.http import HttpResponseBadRequest


class ClientAddressMiddleware:
    """Sets REMOTE_ADDR to the client's address, from X-Forwarded-For, past the number of
    trusted proxies in front of the app.

    Each proxy appends the address it received the request from, so with N trusted proxies
    the Nth entry from the right was written by the outermost one and is the client's;
    anything further left was sent by the client and proves nothing. With no trusted proxy
    (the default) the header is ignored, since anyone can send it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.TRUSTED_PROXIES
        if proxies > 0:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            if len(hops) >= proxies:
                request.META["REMOTE_ADDR"] = hops[-proxies]
        return self.get_response(request)


class Utf8OnlyMiddleware:
    """Answers 400 to a request that declares its text in a charset other than UTF-8.

    Browsers send UTF-8; another declared charset (UTF-7, say) is only ever a crafted
    request, and Django would decode its form fields and query string with it, which can
    smuggle lone surrogates past the forms into a page or the database. Refused before any
    middleware reads the body.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if charset:
            try:
                name = codecs.lookup(charset).name
            except LookupError:
                name = ""
            if name != "utf-8":
                return HttpResponseBadRequest(
                    "Send text as UTF-8.\n", content_type="text/plain; charset=utf-8"
                )
        return self.get_response(request)
