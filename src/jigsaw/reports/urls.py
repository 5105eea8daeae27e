from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<slug:partnership>/reports/", views.ReportList.as_view(), name="list"),
    path("<slug:partnership>/reports/new/", views.ReportCreate.as_view(), name="create"),
    path("<slug:partnership>/reports/<int:pk>/", views.ReportDetail.as_view(), name="report"),
    path("<slug:partnership>/reports/<int:pk>/checklist/", views.ReportChecklist.as_view(), name="checklist"),
    path("<slug:partnership>/reports/<int:pk>/sections/new/", views.SectionCreate.as_view(), name="section-create"),
    path("<slug:partnership>/reports/<int:pk>/sign-off/", views.SignOffCreate.as_view(), name="sign-off"),
    path("<slug:partnership>/reports/<int:pk>/submit/", views.ReportSubmit.as_view(), name="submit"),
    path(
        "<slug:partnership>/reports/<int:pk>/return-to-draft/",
        views.ReportReturnToDraft.as_view(),
        name="return-to-draft",
    ),
    path("<slug:partnership>/reports/<int:pk>/publish/", views.ReportPublish.as_view(), name="publish"),
    path("<slug:partnership>/reports/<int:pk>/new-version/", views.ReportNewVersion.as_view(), name="new-version"),
    path(
        "<slug:partnership>/reports/<int:pk>/add-new-blocks/",
        views.ReportAddMissingBlocks.as_view(),
        name="add-missing-blocks",
    ),
    path("<slug:partnership>/reports/<int:pk>/build/", views.BuildCreate.as_view(), name="build-create"),
    path("<slug:partnership>/reports/sections/<int:pk>/", views.SectionDetail.as_view(), name="section"),
    path("<slug:partnership>/reports/sections/<int:pk>/edit/", views.SectionUpdate.as_view(), name="section-update"),
    path("<slug:partnership>/reports/sections/<int:pk>/remove/", views.SectionDelete.as_view(), name="section-delete"),
    path("<slug:partnership>/reports/sections/<int:pk>/comment/", views.CommentCreate.as_view(), name="comment-create"),
    path("<slug:partnership>/reports/builds/<int:pk>/", views.BuildDetail.as_view(), name="build"),
    path("<slug:partnership>/reports/builds/<int:pk>/<str:document>/", views.BuildFile.as_view(), name="build-file"),
    # The public report: published versions only.
    path("<slug:partnership>/annual-report/", views.PublicReportList.as_view(), name="public-list"),
    path("<slug:partnership>/annual-report/<str:report_year>/", views.PublicReport.as_view(), name="public-report"),
    path(
        "<slug:partnership>/annual-report/<str:report_year>/<str:document>/",
        views.PublicReportFile.as_view(),
        name="public-file",
    ),
]
