"""The client's address behind reverse proxies (settings.TRUSTED_PROXIES)."""

from __future__ import annotations

from django.conf import settings


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
