"""The learning log's API: list, raise, update (including status), record assurance reviews.

Agency leads may change only their own agency's actions: the scope rule restricts CHANGE to
owner_agency in the lead's agencies, and the base viewset answers 403 for any other.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import serializers

from jigsaw.core.api import PartnershipScopedViewSet
from jigsaw.core.models import Agency, Person, Theme
from jigsaw.core.related import ScopedModelSerializer, ScopedRelatedField
from jigsaw.governance.models import GoldenThread, Priority

from . import queries, services
from .models import AssuranceReview, LearningAction, Rag, ReviewKind, Status


class ActionSerializer(ScopedModelSerializer):
    owner_agency = ScopedRelatedField(queryset=Agency.objects.all(), allow_null=True, required=False)
    owner_person = ScopedRelatedField(queryset=Person.objects.all(), allow_null=True, required=False)
    themes = ScopedRelatedField(queryset=Theme.objects.all(), many=True, required=False)
    plan_priorities = ScopedRelatedField(queryset=Priority.objects.all(), many=True, required=False)
    golden_threads = ScopedRelatedField(queryset=GoldenThread.objects.all(), many=True, required=False)
    source_type = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text="Change it with PATCH: 'completed' needs evidence, 'closed' needs closure_reason; 'assured' is set only by a 12-month review.",
    )
    evidence = serializers.CharField(required=False, allow_blank=True)
    closure_reason = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(
        required=False, allow_blank=True, write_only=True, help_text="Added to the action's history."
    )
    completed_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The date the work was done, given when status becomes 'completed' (default today; not in the future, "
        "not before raised_on). The 6- and 12-month reviews are counted from it.",
    )

    class Meta:
        model = LearningAction
        fields = [
            "id",
            "reference",
            "description",
            "source_type",
            "source_id",
            "source_label",
            "owner_agency",
            "owner_person",
            "priority",
            "themes",
            "plan_priorities",
            "golden_threads",
            "raised_on",
            "due_on",
            "status",
            "completed_on",
            "evidence",
            "closure_reason",
            "escalated_to",
            "escalated_on",
            "escalation_reason",
            "note",
        ]
        read_only_fields = ["reference", "source_id", "escalated_to", "escalated_on", "escalation_reason"]

    def get_source_type(self, action) -> str | None:
        return f"{action.source_type.app_label}.{action.source_type.model}" if action.source_type_id else None


def _raise(*, actor, partnership, status=None, evidence="", closure_reason="", note="", completed_on=None, **fields):
    action = services.action_raise(actor=actor, partnership=partnership, **fields)
    if status and status != action.status:
        action = services.action_set_status(
            actor=actor,
            action=action,
            status=status,
            evidence=evidence,
            closure_reason=closure_reason,
            note=note,
            completed_on=completed_on,
        )
    elif completed_on:
        raise ValidationError({"completed_on": "A completion date is given only when the action is completed."})
    return action


def _update(*, actor, action, status=None, evidence="", closure_reason="", note="", completed_on=None, **fields):
    """One PATCH may change details and move the status on: both or neither are saved."""
    if fields:
        action = services.action_update(
            actor=actor, action=action, note="" if status or evidence or closure_reason else note, **fields
        )
    if status or evidence or closure_reason or completed_on:
        action = services.action_set_status(
            actor=actor,
            action=action,
            status=status or action.status,
            evidence=evidence,
            closure_reason=closure_reason,
            note=note,
            completed_on=completed_on,
        )
    elif note and not fields:
        action = services.action_update(actor=actor, action=action, note=note)
    return action


class ActionViewSet(PartnershipScopedViewSet):
    """The themed learning log. Filters: ?status=, ?owner_agency=, ?theme=, ?overdue=true."""

    serializer_class = ActionSerializer
    create_service = staticmethod(_raise)
    update_service = staticmethod(_update)
    instance_name = "action"

    def get_queryset(self):
        queryset = (
            super()
            .get_queryset()
            .select_related("source_type")
            .prefetch_related("themes", "plan_priorities", "golden_threads")
        )
        params = self.request.query_params
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("owner_agency", "").isdigit():
            queryset = queryset.filter(owner_agency_id=int(params["owner_agency"]))
        if params.get("theme", "").isdigit():
            queryset = queryset.filter(themes=int(params["theme"]))
        if params.get("overdue") == "true":
            from django.utils import timezone

            queryset = queries.overdue(queryset, timezone.localdate())
        return queryset.order_by("due_on", "pk")


class ReviewSerializer(ScopedModelSerializer):
    action = ScopedRelatedField(queryset=LearningAction.objects.all())
    kind = serializers.ChoiceField(choices=ReviewKind.choices)
    # Blank on a review still to be done (the schedule creates it); required when recording one.
    rag = serializers.ChoiceField(choices=Rag.choices, allow_blank=True)
    what_changed = serializers.CharField()
    assurance_given = serializers.BooleanField(allow_null=True)
    reviewer = ScopedRelatedField(queryset=Person.objects.all(), allow_null=True, required=False)

    class Meta:
        model = AssuranceReview
        fields = [
            "id",
            "action",
            "kind",
            "due_on",
            "rag",
            "what_changed",
            "evidence",
            "assurance_given",
            "reviewed_on",
            "reviewer",
        ]
        read_only_fields = ["due_on"]
        validators = []  # the service finds the scheduled review of this kind; (action, kind) is unique by design

    def validate_assurance_given(self, value):
        if value is None:
            raise serializers.ValidationError("Say whether assurance is given.")
        return value

    def validate_rag(self, value):
        if not value:
            raise serializers.ValidationError("Give the RAG rating: red, amber or green.")
        return value


class ReviewViewSet(PartnershipScopedViewSet):
    """The 6- and 12-month assurance reviews. POST records the scheduled review of `kind` on a
    completed action; a 12-month review giving assurance makes the action assured."""

    serializer_class = ReviewSerializer
    http_method_names = ["get", "post", "head", "options"]
    create_service = staticmethod(services.review_add)

    def get_queryset(self):
        return super().get_queryset().select_related("action")


def register(router) -> None:
    router.register(r"partnerships/(?P<partnership_slug>[-\w]+)/actions", ActionViewSet, basename="action")
    router.register(
        r"partnerships/(?P<partnership_slug>[-\w]+)/action-reviews", ReviewViewSet, basename="action-review"
    )
