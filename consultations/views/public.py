"""The public response form of one consultation: no login, only its secret token.

Found by the token alone (a token of the wrong shape answers 404 without a query), refused
once a client address has sent too many responses in an hour, and silent to bots.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from consultations import services
from consultations.forms import PublicResponseForm
from consultations.models import Consultation
from consultations.views.shared import secret_page
from localities.throttle import over_limit

TOKEN_MAX_LENGTH = Consultation._meta.get_field("token").max_length
# The thank-you page's query flag for a submission that had arrived before.
ALREADY = "already"


# What models.new_token() makes (URL-safe base64); anything else is not worth a query,
# and some of it (a NUL byte) PostgreSQL would refuse outright.
TOKEN_SHAPE = re.compile(rf"[A-Za-z0-9_-]{{1,{TOKEN_MAX_LENGTH}}}")


def public_consultation(token: str) -> Consultation:
    if not TOKEN_SHAPE.fullmatch(token):
        raise Http404("No consultation has that link.")
    return get_object_or_404(Consultation.objects.select_related("locality"), token=token)


def over_submission_limit(request) -> bool:
    """Count this submission against the client address; True once past the hourly limit.

    A fixed one-hour window from the address's first submission, kept in Django's cache.
    The address is REMOTE_ADDR: behind a reverse proxy, the proxy must set it to the
    client's address, or everyone shares one allowance.
    """
    return over_limit(
        f"consult-submissions:{request.META.get('REMOTE_ADDR', 'unknown')}",
        limit=settings.CONSULT_SUBMISSIONS_PER_HOUR,
        seconds=60 * 60,
    )


@secret_page
class RespondView(View):
    """The public response form of one consultation, found by its token."""

    template_name = "consultations/public/respond.html"

    def setup_objects(self, token: str) -> None:
        self.consultation = public_consultation(token)
        self.ideas = list(self.consultation.ideas.order_by("title"))

    def closed(self) -> HttpResponse:
        # 200, not 410: the page is there and says what is going on, and a consultation can
        # be opened again, which 410 ("gone for good") would deny.
        return render(
            self.request, "consultations/public/closed.html", {"consultation": self.consultation}
        )

    def render_form(self, form: PublicResponseForm) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {
                "consultation": self.consultation,
                "form": form,
                "submission_token": form.token_for_page,
            },
        )

    def already_received(self) -> HttpResponse:
        """The thank-you page again, saying the answers were had the first time."""
        url = reverse("consultations:respond-thanks", kwargs={"token": self.consultation.token})
        return redirect(f"{url}?{ALREADY}=1")

    def get(self, request, token: str):
        self.setup_objects(token)
        if not self.consultation.is_open:
            return self.closed()
        return self.render_form(PublicResponseForm(ideas=self.ideas))

    def post(self, request, token: str):
        self.setup_objects(token)
        if not self.consultation.is_open:
            return self.closed()
        if over_submission_limit(request):
            return render(
                request,
                "consultations/public/too_many.html",
                {"consultation": self.consultation, "limit": settings.CONSULT_SUBMISSIONS_PER_HOUR},
                status=429,
            )
        form = PublicResponseForm(request.POST, ideas=self.ideas)
        thanks = redirect("consultations:respond-thanks", token=self.consultation.token)
        if form.is_bot:
            return thanks  # pretend all went well; save nothing
        submission_token = form.submission_token
        # Sent again (Back and send, a double click): thanked, not stored twice, even if the
        # answers were changed in between, since the first copy is what the team has.
        if submission_token and services.submission_received(
            consultation=self.consultation, submission_token=submission_token
        ):
            return self.already_received()
        if not form.is_valid():
            return self.render_form(form)
        try:
            stored = services.record_public_responses(
                consultation=self.consultation,
                rows=form.rows(),
                submission_token=submission_token,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form)
        return thanks if stored else self.already_received()


@secret_page
class RespondThanksView(View):
    def get(self, request, token: str):
        consultation = public_consultation(token)
        return render(
            request,
            "consultations/public/thanks.html",
            {"consultation": consultation, "already": request.GET.get(ALREADY) == "1"},
        )
