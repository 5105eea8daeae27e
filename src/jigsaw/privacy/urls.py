from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("<slug:partnership>/retention/", views.Schedule.as_view(), name="schedule"),
    path("<slug:partnership>/retention/runs/", views.RunList.as_view(), name="runs"),
    path("<slug:partnership>/retention/runs/<int:pk>/", views.RunDetail.as_view(), name="run"),
    path("<slug:partnership>/retention/<slug:retention_kind>/", views.RuleUpdate.as_view(), name="rule-update"),
    path("<slug:partnership>/subject-access/", views.RequestList.as_view(), name="requests"),
    path("<slug:partnership>/subject-access/new/", views.RequestCreate.as_view(), name="request-create"),
    path("<slug:partnership>/subject-access/<int:pk>/", views.RequestDetail.as_view(), name="request"),
    path(
        "<slug:partnership>/subject-access/<int:pk>/download/", views.RequestDownload.as_view(), name="request-download"
    ),
]
