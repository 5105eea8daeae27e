"""The training API: courses, events, completions (read, bulk submit) and evaluations (submit).

Bulk submission of completions goes through the same import service as the upload page: the
same checks, all-or-nothing, and re-sending the same rows adds nothing.
"""

from __future__ import annotations

import csv
import io

from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from jigsaw.core.api import PartnershipScopedViewSet
from jigsaw.core.related import ScopedModelSerializer, ScopedRelatedField
from jigsaw.core.scoping import Action, Role

from . import services
from .imports import COLUMNS, completions_import
from .models import Completion, Course, Evaluation, Event


class CourseSerializer(serializers.ModelSerializer):
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "mode",
            "description",
            "provider",
            "duration_minutes",
            "runs_from",
            "runs_until",
            "themes",
        ]


class EventSerializer(ScopedModelSerializer):
    class Meta:
        model = Event
        fields = [
            "id",
            "course",
            "programme",
            "starts_at",
            "ends_at",
            "capacity",
            "venue",
            "online_link",
            "is_published",
        ]
        read_only_fields = ["programme"]


class CompletionSerializer(serializers.ModelSerializer):
    course = serializers.CharField(source="course.title", read_only=True)
    mode = serializers.CharField(source="course.mode", read_only=True)
    category = serializers.CharField(source="category.name", read_only=True)
    learner = serializers.SerializerMethodField()

    class Meta:
        model = Completion
        fields = ["id", "learner", "course", "mode", "category", "completed_on"]

    def get_learner(self, completion) -> str | None:
        # Learners' names are personal data: the business unit's only.
        access = self.context.get("access")
        return completion.learner.name if access is not None and Role.BUSINESS_UNIT in access.roles else None


class CompletionRowSerializer(serializers.Serializer):
    learner = serializers.CharField(allow_blank=True)
    email = serializers.CharField(allow_blank=True)
    organisation = serializers.CharField(allow_blank=True)
    course = serializers.CharField(allow_blank=True)
    completion_date = serializers.CharField(allow_blank=True, help_text="31/01/2025 or 2025-01-31")


class CompletionBatchSerializer(serializers.Serializer):
    file_name = serializers.CharField(
        default="api.csv", help_text="A name for the batch, shown in the list of imports."
    )
    rows = CompletionRowSerializer(many=True, allow_empty=False)


class EvaluationSerializer(ScopedModelSerializer):
    completion = ScopedRelatedField(queryset=Completion.objects.all(), required=False, allow_null=True)
    event = ScopedRelatedField(queryset=Event.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Evaluation
        fields = [
            "id",
            "completion",
            "event",
            "course",
            "submitted_on",
            "content_rating",
            "knowledge_before",
            "knowledge_after",
            "impact",
            "comments",
        ]
        read_only_fields = ["course", "submitted_on"]

    def validate(self, data):
        if not data.get("completion") and not data.get("event"):
            raise serializers.ValidationError({"completion": "Give the completion or the event evaluated."})
        return data


class _TrainingViewSet(PartnershipScopedViewSet):
    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["access"] = getattr(self, "access", None)
        return context


class CourseViewSet(_TrainingViewSet):
    """Courses of every training option. The business unit may add and change them."""

    serializer_class = CourseSerializer
    create_service = staticmethod(services.course_create)
    update_service = staticmethod(services.course_update)
    instance_name = "course"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("themes")


class EventViewSet(_TrainingViewSet):
    """Dated runs of courses. The business unit may add and change them."""

    serializer_class = EventSerializer
    create_service = staticmethod(services.event_create)
    update_service = staticmethod(services.event_update)
    instance_name = "event"


class CompletionViewSet(_TrainingViewSet):
    """Course completions in your scope. POST a batch of rows to import them, all or nothing:
    the response lists every bad row and unmapped organisation; sending the same rows again adds nothing."""

    serializer_class = CompletionSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self):
        return CompletionBatchSerializer if self.action == "create" else CompletionSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("learner", "course", "category")

    def create(self, request, *args, **kwargs):
        if not self.access.can(Action.CHANGE, Completion):
            raise PermissionDenied("Only the business unit may submit completions.")
        batch = CompletionBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(list(COLUMNS))
        for row in batch.validated_data["rows"]:
            writer.writerow([row["learner"], row["email"], row["organisation"], row["course"], row["completion_date"]])
        name = batch.validated_data["file_name"]
        result = completions_import(
            actor=request.user,
            partnership=self.access.partnership,
            file_name=name if name.endswith(".csv") else f"{name}.csv",
            content=out.getvalue().encode(),
        )
        body = {
            "batch": result.batch.pk,
            "rows": result.rows,
            "added": result.added,
            "already_held": result.already_held,
            "learners_added": result.learners_added,
            # Row 1 is the heading: the first submitted row is row 2, as in a spreadsheet.
            "problems": [{"row": row - 1, "reason": reason} for row, reason in result.problems],
            "unknown_organisations": [{"name": name, "rows": rows} for name, rows in result.unknown_organisations],
            "unknown_courses": [
                {"title": title, "rows": rows, "first_completion_date": first}
                for title, rows, first in result.unknown_courses
            ],
            "warnings": [{"row": row - 1, "note": note} for row, note in result.warnings],
        }
        return Response(body, status=status.HTTP_201_CREATED if result.ok else status.HTTP_400_BAD_REQUEST)


class EvaluationViewSet(_TrainingViewSet):
    """Post-course evaluations. Submit one for a completion or an event."""

    serializer_class = EvaluationSerializer
    http_method_names = ["get", "post", "head", "options"]
    create_service = staticmethod(services.evaluation_submit)


def register(router) -> None:
    base = r"partnerships/(?P<partnership_slug>[-\w]+)/training"
    router.register(f"{base}/courses", CourseViewSet, basename="training-course")
    router.register(f"{base}/events", EventViewSet, basename="training-event")
    router.register(f"{base}/completions", CompletionViewSet, basename="training-completion")
    router.register(f"{base}/evaluations", EvaluationViewSet, basename="training-evaluation")
