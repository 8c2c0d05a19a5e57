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
]
