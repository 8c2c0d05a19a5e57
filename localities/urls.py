from django.urls import path

from localities import views

app_name = "localities"

urlpatterns = [
    path("", views.LocalityListView.as_view(), name="list"),
    path("<slug:slug>/", views.LocalityDetailView.as_view(), name="detail"),
    path("<slug:slug>/members/", views.MemberListView.as_view(), name="members"),
    path("<slug:slug>/members/add/", views.MemberAddView.as_view(), name="member-add"),
    path("<slug:slug>/members/<int:pk>/role/", views.MemberRoleView.as_view(), name="member-role"),
    path(
        "<slug:slug>/members/<int:pk>/remove/",
        views.MemberRemoveView.as_view(),
        name="member-remove",
    ),
    path("<slug:slug>/insights/", views.InsightListView.as_view(), name="insight-list"),
    path("<slug:slug>/insights/new/", views.InsightCreateView.as_view(), name="insight-create"),
    path(
        "<slug:slug>/insights/export.csv",
        views.InsightExportView.as_view(),
        name="insight-export",
    ),
    path(
        "<slug:slug>/insights/<int:pk>/", views.InsightDetailView.as_view(), name="insight-detail"
    ),
    path(
        "<slug:slug>/insights/<int:pk>/edit/",
        views.InsightUpdateView.as_view(),
        name="insight-update",
    ),
    path(
        "<slug:slug>/insights/<int:pk>/delete/",
        views.InsightDeleteView.as_view(),
        name="insight-delete",
    ),
    path("<slug:slug>/challenges/", views.ChallengeListView.as_view(), name="challenge-list"),
    path(
        "<slug:slug>/challenges/new/",
        views.ChallengeCreateView.as_view(),
        name="challenge-create",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/",
        views.ChallengeDetailView.as_view(),
        name="challenge-detail",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/edit/",
        views.ChallengeUpdateView.as_view(),
        name="challenge-update",
    ),
    path(
        "<slug:slug>/challenges/<int:pk>/delete/",
        views.ChallengeDeleteView.as_view(),
        name="challenge-delete",
    ),
]
