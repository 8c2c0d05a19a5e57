"""The portfolio's routes, included under /portfolio/ with the namespace "portfolio":
`path("portfolio/", include(("blueprints.portfolio_urls", "portfolio")))`."""

from django.urls import path

from blueprints.views.portfolio import (
    PortfolioCsvView,
    PortfolioPrototypesCsvView,
    PortfolioPrototypesView,
    PortfolioQuestionsCsvView,
    PortfolioQuestionsView,
    PortfolioResourcesCsvView,
    PortfolioResourcesView,
    PortfolioReviewView,
    PortfolioView,
)

urlpatterns = [
    path("", PortfolioView.as_view(), name="index"),
    path("export.csv", PortfolioCsvView.as_view(), name="export"),
    path("review/", PortfolioReviewView.as_view(), name="review"),
    path("questions/", PortfolioQuestionsView.as_view(), name="questions"),
    path("questions.csv", PortfolioQuestionsCsvView.as_view(), name="questions-export"),
    path("prototypes/", PortfolioPrototypesView.as_view(), name="prototypes"),
    path("prototypes.csv", PortfolioPrototypesCsvView.as_view(), name="prototypes-export"),
    path("resources/", PortfolioResourcesView.as_view(), name="resources"),
    path("resources.csv", PortfolioResourcesCsvView.as_view(), name="resources-export"),
]
