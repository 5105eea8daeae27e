from django.urls import path

from . import views

app_name = "impact"

P = "<slug:partnership>/impact"

urlpatterns = [
    path(f"{P}/", views.Home.as_view(), name="home"),
    path(f"{P}/priorities/<int:pk>/", views.ChainPage.as_view(), name="chain"),
    path(f"{P}/frameworks/new/", views.FrameworkCreate.as_view(), name="framework-create"),
    path(f"{P}/frameworks/<int:pk>/", views.FrameworkDetail.as_view(), name="framework"),
    path(f"{P}/frameworks/<int:pk>/edit/", views.FrameworkUpdate.as_view(), name="framework-update"),
    path(f"{P}/frameworks/<int:pk>/adopt/", views.FrameworkAdopt.as_view(), name="framework-adopt"),
    path(f"{P}/frameworks/<int:pk>/outcomes/new/", views.OutcomeAdd.as_view(), name="outcome-add"),
    path(f"{P}/outcomes/<int:pk>/edit/", views.OutcomeUpdate.as_view(), name="outcome-update"),
    path(f"{P}/outcomes/<int:pk>/evidence/new/", views.EvidenceAdd.as_view(), name="evidence-add"),
    path(f"{P}/evidence/<int:pk>/remove/", views.EvidenceRemove.as_view(), name="evidence-remove"),
    path(f"{P}/managers/", views.Managers.as_view(), name="managers"),
    path(f"{P}/managers/<int:pk>/", views.ManagerDetail.as_view(), name="manager"),
    path(f"{P}/managers/<int:pk>/name/", views.ManagerName.as_view(), name="manager-name"),
    # Public: the line manager answers through the link in their email.
    path(f"{P}/manager/<str:manager_code>/", views.ManagerAnswer.as_view(), name="answer"),
]
