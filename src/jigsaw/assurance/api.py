"""Assurance over the API: self-assessment rounds, their returns and results; restraint incidents
and a setting's CSV return; audits. The same scoping helper and services as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from jigsaw.core.api import PartnershipScopedViewSet
from jigsaw.core.models import Agency, Person, Theme
from jigsaw.core.related import ScopedModelSerializer, ScopedRelatedField
from jigsaw.core.scoping import Action, Role

from . import queries, services
from .models import Answer, Audit, Framework, RestraintImport, RestraintIncident, Return, Round

# --- Self-assessment -----------------------------------------------------------------------------


class RoundSerializer(ScopedModelSerializer):
    framework = ScopedRelatedField(queryset=Framework.objects.all(), help_text="The version of the tool.")

    class Meta:
        model = Round
        fields = ["id", "title", "framework", "period_start", "period_end", "deadline"]
        validators = []  # the service validates the whole record


class SectionResultSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    title = serializers.CharField()
    answers = serializers.IntegerField(help_text="Answers in submitted returns.")
    green = serializers.IntegerField()
    green_pct = serializers.IntegerField(allow_null=True, help_text="Whole-number % green; null with no answers.")


class RoundResultsSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    returned = serializers.IntegerField(help_text="Submitted returns.")
    return_rate_pct = serializers.IntegerField(allow_null=True)
    sections = SectionResultSerializer(
        many=True, help_text="% green per section, highest first, as the report's table."
    )
    by_agency = serializers.ListField(
        child=inline_serializer(
            "AgencyGreenBySection",
            {
                "agency": serializers.CharField(),
                "green_pct": serializers.ListField(child=serializers.IntegerField(allow_null=True)),
            },
        ),
        help_text="Per agency, % green for each section in `section_titles` order.",
    )
    section_titles = serializers.ListField(child=serializers.CharField())


class RoundViewSet(PartnershipScopedViewSet):
    """Rounds of the organisational safeguarding self-assessment. The business unit starts them."""

    serializer_class = RoundSerializer
    http_method_names = ["get", "post", "head", "options"]
    create_service = staticmethod(services.round_create)

    @extend_schema(responses=RoundResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request, *args, **kwargs):
        """Return rate and % green per section and per agency, over the returns your role may see."""
        found = queries.round_results(self.get_object(), self.access)
        rate = found["rate"]
        return Response(
            RoundResultsSerializer(
                {
                    "invited": rate.invited,
                    "returned": rate.returned,
                    "return_rate_pct": rate.pct,
                    "sections": found["sections"],
                    "section_titles": found["agency_sections"],
                    "by_agency": [{"agency": agency, "green_pct": cells} for agency, cells in found["by_agency"]],
                }
            ).data
        )


class AnswerSerializer(ScopedModelSerializer):
    class Meta:
        model = Answer
        fields = ["question", "rating", "evidence"]


class ReturnSerializer(ScopedModelSerializer):
    round = ScopedRelatedField(queryset=Round.objects.all())
    participant = ScopedRelatedField(queryset=Person.objects.all(), help_text="Who completes it.")
    agency = ScopedRelatedField(
        queryset=Agency.objects.all(), required=False, help_text="Defaults to the participant's agency."
    )
    answers = AnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Return
        fields = [
            "id",
            "round",
            "agency",
            "service",
            "locality",
            "participant",
            "status",
            "submitted_at",
            "answers_saved_at",
            "answers",
        ]
        read_only_fields = ["status", "submitted_at", "answers_saved_at"]
        validators = []


class ReturnChangeSerializer(serializers.Serializer):
    answers = serializers.ListField(
        child=inline_serializer(
            "AnswerInput",
            {
                "question": serializers.IntegerField(),
                "rating": serializers.CharField(
                    allow_blank=True, help_text="red, amber or green; blank leaves it unanswered."
                ),
                "evidence": serializers.CharField(required=False, allow_blank=True),
            },
        ),
        required=False,
        help_text="Ratings to save as a draft (all or none).",
    )
    submit = serializers.BooleanField(default=False, help_text="Submit the return once every question is rated.")


class ReturnViewSet(PartnershipScopedViewSet):
    """Returns of a round. The business unit invites a participant (POST); the participant or their
    agency lead saves ratings as a draft and submits once (PATCH), as on the pages."""

    serializer_class = ReturnSerializer
    create_roles = frozenset({Role.BUSINESS_UNIT})

    def get_queryset(self):
        return super().get_queryset().select_related("round", "agency", "participant").prefetch_related("answers")

    def perform_create(self, serializer):
        self._run(serializer, lambda data: services.participant_invite(actor=self.request.user, **data))

    @extend_schema(request=ReturnChangeSerializer, responses=ReturnSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Save ratings (a question not in the round's tool, or a rating other than red, amber or
        green, is refused naming the question) and, with `submit`, submit: all or nothing."""
        assessment_return = self.get_object()  # a submitted return is no longer yours to change: 403
        given = ReturnChangeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        answers = {row["question"]: row for row in given.validated_data.get("answers", [])}
        try:
            with transaction.atomic():
                if answers:
                    services.return_save_answers(
                        actor=request.user, assessment_return=assessment_return, answers=answers
                    )
                if given.validated_data["submit"]:
                    services.return_submit(actor=request.user, assessment_return=assessment_return)
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            raise ValidationError(detail) from error
        changed = Return.objects.prefetch_related("answers").get(pk=assessment_return.pk)
        return Response(self.get_serializer(changed).data)


# --- Use of restraint ----------------------------------------------------------------------------


class IncidentSerializer(ScopedModelSerializer):
    setting = ScopedRelatedField(queryset=Agency.objects.all())

    class Meta:
        model = RestraintIncident
        fields = ["id", "setting", "reference", "occurred_on", "young_person", "restraint_type", "injury_level"]
        validators = []


class RestraintImportSerializer(ScopedModelSerializer):
    setting = ScopedRelatedField(queryset=Agency.objects.all())
    file = serializers.FileField(
        write_only=True,
        help_text="CSV, UTF-8: reference, date, young_person, restraint_type, injury_level. Refused whole if any row is wrong.",
    )

    class Meta:
        model = RestraintImport
        fields = ["id", "setting", "file", "file_name", "rows", "imported_at"]
        read_only_fields = ["file_name", "rows", "imported_at"]


class IncidentViewSet(PartnershipScopedViewSet):
    """Restraint incidents in secure settings (pseudonymised young people)."""

    serializer_class = IncidentSerializer
    create_service = staticmethod(services.incident_create)
    update_service = staticmethod(services.incident_update)
    instance_name = "incident"

    def get_queryset(self):
        return super().get_queryset().select_related("setting")

    @extend_schema(methods=["get"], responses=RestraintImportSerializer(many=True))
    @extend_schema(methods=["post"], request=RestraintImportSerializer, responses={201: RestraintImportSerializer})
    @action(
        detail=False,
        methods=["get", "post"],
        url_path="imports",
        url_name="imports-list",
        parser_classes=[MultiPartParser, FormParser, JSONParser],
    )
    def imports(self, request, *args, **kwargs):
        """A setting's CSV return of incidents (multipart upload), imported all or nothing; GET lists
        the imports so far."""
        if request.method == "GET":
            done = self.paginate_queryset(
                RestraintImport.objects.restrict(self.access, Action.VIEW).select_related("setting")
            )
            return self.get_paginated_response(RestraintImportSerializer(done, many=True).data)
        # The same right as the import page: adding incidents.
        if not self.access.can(Action.CHANGE, RestraintIncident):
            raise PermissionDenied("Your role does not let you add these records.")
        serializer = RestraintImportSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            created = services.restraint_import(
                actor=request.user,
                partnership=self.access.partnership,
                setting=data["setting"],
                file=data["file"],
                file_name=data["file"].name,
            )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            raise ValidationError(detail) from error
        return Response(RestraintImportSerializer(created).data, status=201)


# --- Audits --------------------------------------------------------------------------------------


class AuditSerializer(ScopedModelSerializer):
    themes = ScopedRelatedField(queryset=Theme.objects.all(), many=True, required=False)

    class Meta:
        model = Audit
        fields = [
            "id",
            "title",
            "kind",
            "themes",
            "started_on",
            "reported_on",
            "cases_audited",
            "method",
            "grading",
            "findings",
            "voice_of_the_child",
        ]


class AuditViewSet(PartnershipScopedViewSet):
    """Multi-agency audits, thematic audits and deep dives."""

    serializer_class = AuditSerializer
    create_service = staticmethod(services.audit_save)
    update_service = staticmethod(services.audit_save)
    instance_name = "audit"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("themes")


def register(router) -> None:
    prefix = r"partnerships/(?P<partnership_slug>[-\w]+)/assurance"
    router.register(f"{prefix}/rounds", RoundViewSet, basename="assurance-round")
    router.register(f"{prefix}/returns", ReturnViewSet, basename="assurance-return")
    router.register(f"{prefix}/restraint-incidents", IncidentViewSet, basename="assurance-incident")
    router.register(f"{prefix}/audits", AuditViewSet, basename="assurance-audit")
