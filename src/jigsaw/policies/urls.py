from django.urls import path

from . import public, views

app_name = "policies"

P = "<slug:partnership>"

urlpatterns = [
    # The procedures library
    path(f"{P}/procedures/", views.Library.as_view(), name="library"),
    path(f"{P}/procedures/reviews/", views.Reviews.as_view(), name="reviews"),
    path(f"{P}/procedures/search/", views.Search.as_view(), name="search"),
    path(f"{P}/procedures/new/", views.DocumentCreate.as_view(), name="document-create"),
    path(f"{P}/procedures/<int:pk>/", views.DocumentDetail.as_view(), name="document"),
    path(f"{P}/procedures/<int:pk>/edit/", views.DocumentUpdate.as_view(), name="document-update"),
    path(f"{P}/procedures/<int:pk>/withdraw/", views.DocumentWithdraw.as_view(), name="document-withdraw"),
    path(f"{P}/procedures/<int:pk>/versions/new/", views.VersionCreate.as_view(), name="version-create"),
    path(f"{P}/procedures/versions/<int:pk>/", views.VersionDetail.as_view(), name="version"),
    path(f"{P}/procedures/versions/<int:pk>/edit/", views.VersionUpdate.as_view(), name="version-update"),
    path(f"{P}/procedures/versions/<int:pk>/attach/", views.AttachmentCreate.as_view(), name="attachment-create"),
    path(f"{P}/procedures/versions/<int:pk>/trigger/", views.TriggerCreate.as_view(), name="trigger-create"),
    path(f"{P}/procedures/versions/<int:pk>/consultation/", views.ConsultationOpen.as_view(), name="consultation-open"),
    path(f"{P}/procedures/versions/<int:pk>/approve/", views.VersionApprove.as_view(), name="version-approve"),
    path(f"{P}/procedures/versions/<int:pk>/publish/", views.VersionPublish.as_view(), name="version-publish"),
    path(f"{P}/procedures/attachments/<int:pk>/", views.AttachmentDownload.as_view(), name="attachment"),
    path(f"{P}/procedures/consultations/<int:pk>/comment/", views.CommentCreate.as_view(), name="comment-create"),
    path(f"{P}/procedures/comments/<int:pk>/answer/", views.CommentAnswer.as_view(), name="comment-answer"),
    # The newsletter (business unit)
    path(f"{P}/newsletter/", views.Newsletter.as_view(), name="newsletter"),
    path(f"{P}/newsletter/digests/new/", views.DigestCreate.as_view(), name="digest-create"),
    path(f"{P}/newsletter/digests/<int:pk>/", views.DigestDetail.as_view(), name="digest"),
    path(f"{P}/newsletter/digests/<int:pk>/edit/", views.DigestUpdate.as_view(), name="digest-update"),
    path(f"{P}/newsletter/digests/<int:pk>/send/", views.DigestSend.as_view(), name="digest-send"),
    # Professional disagreements
    path(f"{P}/disagreements/", views.EscalationList.as_view(), name="escalations"),
    path(f"{P}/disagreements/new/", views.EscalationCreate.as_view(), name="escalation-create"),
    path(f"{P}/disagreements/<int:pk>/", views.EscalationDetail.as_view(), name="escalation"),
    path(f"{P}/disagreements/<int:pk>/edit/", views.EscalationUpdate.as_view(), name="escalation-update"),
    path(f"{P}/disagreements/<int:pk>/stage/", views.EscalationMove.as_view(), name="escalation-move"),
    path(f"{P}/disagreements/<int:pk>/resolve/", views.EscalationResolve.as_view(), name="escalation-resolve"),
    path(f"{P}/disagreements/<int:pk>/learning/", views.EscalationLearning.as_view(), name="escalation-learning"),
    # The public site: no sign-in
    path(f"{P}/public/", public.PublicHome.as_view(), name="public-home"),
    path(f"{P}/public/about/<slug:kind>/", public.PublicSitePage.as_view(), name="public-page"),
    path(f"{P}/public-site-pages/", views.SitePageList.as_view(), name="site-pages"),
    path(f"{P}/public-site-pages/<slug:kind>/", views.SitePageEdit.as_view(), name="site-page-edit"),
    path(f"{P}/public/procedures/", public.PublicProcedures.as_view(), name="public-procedures"),
    path(f"{P}/public/procedures/<int:pk>/", public.PublicDocument.as_view(), name="public-document"),
    path(f"{P}/public/files/<int:pk>/", public.PublicAttachment.as_view(), name="public-attachment"),
    path(f"{P}/public/whats-new/", public.WhatsNew.as_view(), name="public-whats-new"),
    path(f"{P}/public/feed/", public.Feed.as_view(), name="public-feed"),
    path(f"{P}/public/newsletter/", public.Subscribe.as_view(), name="public-subscribe"),
    path(f"{P}/public/newsletter/confirm/<str:token>/", public.Confirm.as_view(), name="public-confirm"),
    path(f"{P}/public/newsletter/unsubscribe/<str:token>/", public.Unsubscribe.as_view(), name="public-unsubscribe"),
]
