from django.http import HttpResponse
from django.urls import include, path

from tests.localities import urls_nav


def stand_in(request, **kwargs):
    return HttpResponse("stand-in")


consultations = [
    path("localities/<slug:slug>/ideas/", stand_in, name="idea-list"),
    path("localities/<slug:slug>/ideas/<int:pk>/", stand_in, name="idea-detail"),
    path("localities/<slug:slug>/consultations/", stand_in, name="consultation-list"),
    path("localities/<slug:slug>/results/", stand_in, name="results"),
]

urlpatterns = [*urls_nav.urlpatterns, path("", include((consultations, "consultations")))]
