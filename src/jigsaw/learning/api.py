"""Case reviews over the API, with their statutory due dates as ISO dates."""

from __future__ import annotations

from rest_framework import serializers

from jigsaw.core.api import PartnershipScopedViewSet
from jigsaw.core.models import Agency, Theme
from jigsaw.core.related import ScopedModelSerializer, ScopedRelatedField

from . import services
from .models import CaseReview, can_see_characteristics


class CaseReviewSerializer(ScopedModelSerializer):
    agencies_involved = ScopedRelatedField(queryset=Agency.objects.all(), many=True, required=False)
    themes = ScopedRelatedField(queryset=Theme.objects.all(), many=True, required=False)
    notification_due = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="5 working days after the local authority became aware; null when no notification is needed.",
    )
    rapid_review_due = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="15 working days after the local authority became aware; null when no rapid review is needed.",
    )
    publication_due = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="6 months after the practice review was commissioned; null without one.",
    )
    stage = serializers.CharField(read_only=True)

    class Meta:
        model = CaseReview
        fields = [
            "id",
            "reference",
            "pseudonym",
            "age_at_incident",
            "care_leaver",
            "relevant_characteristics",
            "incident",
            "aware_on",
            "referring_agency",
            "agencies_involved",
            "summary",
            "decided_on",
            "meets_criteria",
            "learning_route",
            "decision_reason",
            "notified_on",
            "rapid_review_completed_on",
            "rapid_review_sent_on",
            "practice_review_recommended",
            "rapid_review_reasons",
            "practice_review_commissioned_on",
            "practice_review_published_on",
            "themes",
            "notification_due",
            "rapid_review_due",
            "publication_due",
            "stage",
        ]
        # The model's rules span the steps: the service validates the whole record.
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        view = self.context.get("view")
        access = getattr(view, "access", None)
        if access is not None and not can_see_characteristics(access):
            fields.pop("relevant_characteristics")  # special-category: the business unit and the panel only
        return fields


class CaseReviewViewSet(PartnershipScopedViewSet):
    """Case reviews (referrals for learning and their statutory steps). Due dates are ISO dates."""

    serializer_class = CaseReviewSerializer
    create_service = staticmethod(services.review_refer)
    update_service = staticmethod(services.review_update)
    instance_name = "review"

    def get_queryset(self):
        return super().get_queryset().select_related("referring_agency").prefetch_related("agencies_involved", "themes")


def register(router) -> None:
    router.register(
        r"partnerships/(?P<partnership_slug>[-\w]+)/case-reviews", CaseReviewViewSet, basename="case-review"
    )
