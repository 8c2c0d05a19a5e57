from django.urls import path

from localities.views import challenges, insights, members, overview, resources

app_name = "localities"

urlpatterns = [
    path("", overview.LocalityListView.as_view(), name="list"),
    path("<slug:slug>/", overview.LocalityDetailView.as_view(), name="detail"),
    path("<slug:slug>/members/", members.MemberListView.as_view(), name="members"),
    path("<slug:slug>/members/add/", members.MemberAddView.as_view(), name="member-add"),
    path(
        "<slug:slug>/members/<int:pk>/role/", members.MemberRoleView.as_view(), name="member-role"
    ),
    path(
        "<slug:slug>/members/<int:pk>/remove/",
        members.MemberRemoveView.as_view(),
        name="member-remove",
    ),
    path("<slug:slug>/insights/", insights.InsightListView.as_view(), name="insight-list"),
    path("<slug:slug>/insights/new/", insights.InsightCreateView.as_view(), name="insight-create"),
    path(
        "<slug:slug>/insights/export.csv",
        insights.InsightExportView.as_view(),
        name="insight-export",
    ),
    path(
        "<slug:slug>/insights/<int:pk>/",
        insights.InsightDetailView.as_view(),
        name="insight-detail",
    ),
    path(
        "<slug:slug>/insights/<int:pk>/edit/",
        insights.InsightUpdateView.as_view(),
        name="insight-update",
    ),
    path(
        "<slug:slug>/insights/<int:pk>/delete/",
        insights.InsightDeleteView.as_view(),
        name="insight-delete",
    ),
    path("<slug:slug>/challenges/", challenges.ChallengeListView.as_view(), name="challenge-list"),
    path(
        "<slug:slug>/challenges/new/",
        challenges.ChallengeCreateView.as_view(),
        name="challenge-create",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/",
        challenges.ChallengeDetailView.as_view(),
        name="challenge-detail",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/edit/",
        challenges.ChallengeUpdateView.as_view(),
        name="challenge-update",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/delete/",
        challenges.ChallengeDeleteView.as_view(),
        name="challenge-delete",
    ),
    path("<slug:slug>/resources/", resources.ResourcesView.as_view(), name="resources"),
]
# Spaces, partners and volunteer roles: the same three pages for each kind.
for _kind in resources.KINDS:
    urlpatterns += [
        path(
            f"<slug:slug>/resources/{_kind}/new/",
            resources.ResourceFormView.as_view(kind=_kind),
            name=f"{_kind}-create",
        ),
        path(
            f"<slug:slug>/resources/{_kind}/<int:pk>/edit/",
            resources.ResourceFormView.as_view(kind=_kind),
            name=f"{_kind}-update",
        ),
        path(
            f"<slug:slug>/resources/{_kind}/<int:pk>/delete/",
            resources.ResourceDeleteView.as_view(kind=_kind),
            name=f"{_kind}-delete",
        ),
    ]
