"""The portfolio's routes, included under /portfolio/ with the namespace "portfolio":
`path("portfolio/", include(("blueprints.portfolio_urls", "portfolio")))`."""

from django.urls import path

from blueprints.views.portfolio import PortfolioCsvView, PortfolioView

urlpatterns = [
    path("", PortfolioView.as_view(), name="index"),
    path("export.csv", PortfolioCsvView.as_view(), name="export"),
]
