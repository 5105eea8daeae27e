from django.urls import path

from . import views

app_name = "learning"

P = "<slug:partnership>/learning"

urlpatterns = [
    path(f"{P}/", views.LearningHome.as_view(), name="home"),
    path(f"{P}/reviews/", views.ReviewList.as_view(), name="reviews"),
    path(f"{P}/reviews/clocks/", views.ReviewDashboard.as_view(), name="clocks"),
    path(f"{P}/reviews/refer/", views.ReviewRefer.as_view(), name="review-refer"),
    path(f"{P}/reviews/<int:pk>/", views.ReviewDetail.as_view(), name="review"),
    path(f"{P}/reviews/<int:pk>/edit/", views.ReviewUpdate.as_view(), name="review-update"),
    path(f"{P}/reviews/<int:pk>/decision/", views.ReviewDecide.as_view(), name="review-decide"),
    path(f"{P}/reviews/<int:pk>/notification/", views.ReviewNotify.as_view(), name="review-notify"),
    path(f"{P}/reviews/<int:pk>/rapid-review/", views.ReviewRapidReview.as_view(), name="review-rapid-review"),
    path(f"{P}/reviews/<int:pk>/practice-review/", views.ReviewPracticeReview.as_view(), name="review-practice-review"),
    path(f"{P}/reviews/<int:pk>/actions/new/", views.ReviewRaiseAction.as_view(), name="review-raise-action"),
    path(f"{P}/cycles/", views.CycleList.as_view(), name="cycles"),
    path(f"{P}/cycles/new/", views.CycleCreate.as_view(), name="cycle-create"),
    path(f"{P}/cycles/<int:pk>/", views.CycleDetail.as_view(), name="cycle"),
    path(f"{P}/cycles/<int:pk>/edit/", views.CycleUpdate.as_view(), name="cycle-update"),
    path(f"{P}/cycles/<int:pk>/voices/new/", views.VoiceAdd.as_view(), name="voice-add"),
    path(f"{P}/cycles/<int:pk>/actions/new/", views.CycleRaiseAction.as_view(), name="cycle-raise-action"),
    path(f"{P}/horizon-scanning/", views.HorizonList.as_view(), name="horizon"),
    path(f"{P}/horizon-scanning/new/", views.HorizonCreate.as_view(), name="horizon-create"),
    path(f"{P}/horizon-scanning/<int:pk>/", views.HorizonDetail.as_view(), name="horizon-item"),
    path(f"{P}/horizon-scanning/<int:pk>/edit/", views.HorizonUpdate.as_view(), name="horizon-update"),
    path(f"{P}/briefings/", views.BriefingList.as_view(), name="briefings"),
    path(f"{P}/briefings/new/", views.BriefingCreate.as_view(), name="briefing-create"),
    path(f"{P}/briefings/<int:pk>/", views.BriefingDetail.as_view(), name="briefing"),
    path(f"{P}/briefings/<int:pk>/edit/", views.BriefingUpdate.as_view(), name="briefing-update"),
    # The public site: no sign-in, published briefings only.
    path(f"{P}/published-briefings/", views.PublicBriefingList.as_view(), name="public-briefings"),
    path(f"{P}/published-briefings/<int:pk>/", views.PublicBriefingDetail.as_view(), name="public-briefing"),
]
