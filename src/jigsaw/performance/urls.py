from django.urls import path

from . import views

app_name = "performance"

P = "<slug:partnership>/performance"

urlpatterns = [
    path(f"{P}/", views.PerformanceHome.as_view(), name="home"),
    path(f"{P}/indicators/", views.IndicatorList.as_view(), name="indicators"),
    path(f"{P}/indicators/new/", views.IndicatorCreate.as_view(), name="indicator-create"),
    path(f"{P}/indicators/<int:pk>/", views.IndicatorDetail.as_view(), name="indicator"),
    path(f"{P}/indicators/<int:pk>/edit/", views.IndicatorUpdate.as_view(), name="indicator-update"),
    path(f"{P}/returns/new/", views.ValueCreate.as_view(), name="value-create"),
    path(f"{P}/returns/upload/", views.ValueUpload.as_view(), name="upload"),
    path(f"{P}/returns/late/", views.LateReturns.as_view(), name="late"),
    path(f"{P}/themes/<slug:theme>/", views.ThemeDashboard.as_view(), name="theme"),
    path(f"{P}/priorities/<int:pk>/", views.PriorityDashboard.as_view(), name="priority"),
    path(f"{P}/think-tank/pack/", views.PackChooser.as_view(), name="pack-choose"),
    path(f"{P}/think-tank/pack/<str:quarter>/", views.Pack.as_view(), name="pack"),
    path(f"{P}/think-tank/pack/<str:quarter>/pdf/", views.PackPdf.as_view(), name="pack-pdf"),
    path(f"{P}/think-tank/sessions/", views.SessionList.as_view(), name="sessions"),
    path(f"{P}/think-tank/sessions/new/", views.SessionCreate.as_view(), name="session-create"),
    path(f"{P}/think-tank/sessions/<int:pk>/", views.SessionDetail.as_view(), name="session"),
    path(f"{P}/think-tank/sessions/<int:pk>/edit/", views.SessionUpdate.as_view(), name="session-update"),
    path(f"{P}/think-tank/sessions/<int:pk>/actions/new/", views.SessionRaiseAction.as_view(), name="session-action"),
]
