from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("<slug:partnership>/actions/", views.ActionList.as_view(), name="list"),
    path("<slug:partnership>/actions/export.csv", views.ActionExportCsv.as_view(), name="export-csv"),
    path("<slug:partnership>/actions/export.xlsx", views.ActionExportXlsx.as_view(), name="export-xlsx"),
    path("<slug:partnership>/actions/my-agency/", views.MyAgencyActions.as_view(), name="my-agency"),
    path("<slug:partnership>/actions/overdue/", views.OverdueActions.as_view(), name="overdue"),
    path("<slug:partnership>/actions/reviews-due/", views.ReviewDueActions.as_view(), name="reviews-due"),
    path("<slug:partnership>/actions/by-theme/", views.ThemeSummary.as_view(), name="summary"),
    path("<slug:partnership>/actions/new/", views.ActionCreate.as_view(), name="create"),
    path("<slug:partnership>/actions/<int:pk>/", views.ActionDetail.as_view(), name="detail"),
    path("<slug:partnership>/actions/<int:pk>/edit/", views.ActionUpdate.as_view(), name="update"),
    path("<slug:partnership>/actions/<int:pk>/progress/", views.ActionStatusUpdate.as_view(), name="status"),
    path("<slug:partnership>/actions/<int:pk>/escalate/", views.ActionEscalate.as_view(), name="escalate"),
    path("<slug:partnership>/actions/reviews/<int:pk>/", views.ReviewRecord.as_view(), name="review"),
    path("<slug:partnership>/actions/evidence/<int:pk>/", views.EvidenceDownload.as_view(), name="evidence-file"),
]
