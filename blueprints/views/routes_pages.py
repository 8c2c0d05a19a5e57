from django.urls import path  # noqa: F401

PREFIX = "localities/<slug:slug>/blueprints/"

urlpatterns: list = []
