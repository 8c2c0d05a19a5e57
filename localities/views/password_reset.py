"""The password-reset form, throttled: a flood of reset emails to one person, or from one
client to many addresses, is refused without a word."""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.http import HttpResponseRedirect

from localities.emails import QueuedPasswordResetForm
from localities.throttle import over_limit

logger = logging.getLogger(__name__)


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset view with our queued email form, and two limits on the requests it
    sends email for, each counted over PASSWORD_RESET_WINDOW_MINUTES: one address may ask
    PASSWORD_RESET_PER_ADDRESS times, one client address PASSWORD_RESET_PER_CLIENT times.

    A refused request gets the same "check your email" page as any other, and sends
    nothing: the answer must not tell whether an address has an account, nor that it has
    asked before. Invalid forms are not counted (they send nothing anyway)."""

    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        if self.over_limits(form.cleaned_data["email"]):
            logger.warning("Password reset refused: too many requests (throttled).")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)

    def over_limits(self, email: str) -> bool:
        seconds = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
        # The address by its digest: any text is a safe cache key then, and no address is
        # kept in the cache.
        address = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
        client = self.request.META.get("REMOTE_ADDR", "unknown")
        # Both counted every time, so a client cannot spend one limit to dodge the other.
        by_address = over_limit(
            f"password-reset:address:{address}",
            limit=settings.PASSWORD_RESET_PER_ADDRESS,
            seconds=seconds,
        )
        by_client = over_limit(
            f"password-reset:client:{client}",
            limit=settings.PASSWORD_RESET_PER_CLIENT,
            seconds=seconds,
        )
        return by_address or by_client
