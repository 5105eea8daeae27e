"""The governance API: groups, meetings, attendance, priorities, contributions and information
sharing agreements, scoped like the pages (core.api.PartnershipScopedViewSet)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError

from jigsaw.core.api import PartnershipScopedViewSet
from jigsaw.core.models import Agency, Person
from jigsaw.core.related import ScopedModelSerializer, ScopedRelatedField

from . import services
from .models import (
    Attendance,
    BusinessPlan,
    Contribution,
    Group,
    Meeting,
    Priority,
    RegionalFigure,
    RegionalFigureFamily,
    RegionMembership,
    SharingAgreement,
    Signatory,
)


class GroupSerializer(ScopedModelSerializer):
    parent = ScopedRelatedField(queryset=Group.objects.all(), allow_null=True, required=False)
    terms_of_reference_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Group
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "parent",
            "remit",
            "terms_of_reference",
            "terms_of_reference_review_on",
            "terms_of_reference_overdue",
            "joint_with",
            "chair_term_months",
        ]


class MeetingSerializer(ScopedModelSerializer):
    group = ScopedRelatedField(queryset=Group.objects.all())

    class Meta:
        model = Meeting
        fields = ["id", "group", "held_on", "location", "minutes"]


class AttendanceSerializer(ScopedModelSerializer):
    meeting = ScopedRelatedField(queryset=Meeting.objects.all())
    person = ScopedRelatedField(queryset=Person.objects.all())
    agency = ScopedRelatedField(queryset=Agency.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Attendance
        fields = ["id", "meeting", "person", "agency", "status", "deputy_name"]
        validators = []  # (meeting, person) is unique: recording again corrects the record


class PrioritySerializer(ScopedModelSerializer):
    plan = ScopedRelatedField(queryset=BusinessPlan.objects.all())
    plan_title = serializers.CharField(source="plan.title", read_only=True)

    class Meta:
        model = Priority
        fields = ["id", "plan", "plan_title", "number", "title", "why", "outcomes"]
        validators = []  # the model's own check names the field


class ContributionSerializer(ScopedModelSerializer):
    agency = ScopedRelatedField(queryset=Agency.objects.all())

    class Meta:
        model = Contribution
        fields = ["id", "agency", "financial_year", "amount", "note"]
        validators = []


class SignatorySerializer(ScopedModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Signatory
        fields = ["agency", "agency_name", "signed_on", "signatory_name"]


class AgreementSerializer(ScopedModelSerializer):
    signatories = SignatorySerializer(many=True, read_only=True)
    committed_partners = serializers.SerializerMethodField()

    class Meta:
        model = SharingAgreement
        fields = ["id", "title", "tier", "topic", "status", "review_due_on", "committed_partners", "signatories"]

    def get_committed_partners(self, agreement) -> int:
        return sum(1 for row in agreement.signatories.all() if row.signed_on)


class GroupViewSet(PartnershipScopedViewSet):
    """The partnership's groups (its structure); the business unit adds and changes them."""

    serializer_class = GroupSerializer
    create_service = staticmethod(services.group_create)
    update_service = staticmethod(services.group_update)
    instance_name = "group"


class MeetingViewSet(PartnershipScopedViewSet):
    """Meetings of the partnership's groups; the business unit or the group's chair records them."""

    serializer_class = MeetingSerializer
    create_service = staticmethod(services.meeting_create)
    update_service = staticmethod(services.meeting_update)
    instance_name = "meeting"

    def get_queryset(self):
        return super().get_queryset().select_related("group")


def _attendance_record(*, actor, partnership, **data):
    return services.attendance_record(actor=actor, **data)


class AttendanceViewSet(PartnershipScopedViewSet):
    """Attendance at meetings: present, apologies, deputy (with the deputy's name) or absent.
    Posting for a person already recorded at that meeting corrects their record."""

    serializer_class = AttendanceSerializer
    create_service = staticmethod(_attendance_record)
    update_service = staticmethod(
        lambda *, actor, attendance, **data: services.attendance_record(
            actor=actor,
            meeting=data.pop("meeting", attendance.meeting),
            person=data.pop("person", attendance.person),
            status=data.pop("status", attendance.status),
            agency=data.pop("agency", attendance.agency),
            deputy_name=data.pop("deputy_name", attendance.deputy_name),
        )
    )
    instance_name = "attendance"

    def get_queryset(self):
        return super().get_queryset().select_related("meeting", "person", "agency")


class PriorityViewSet(PartnershipScopedViewSet):
    """Business plan priorities, numbered within their plan."""

    serializer_class = PrioritySerializer
    create_service = staticmethod(services.priority_create)
    update_service = staticmethod(services.priority_update)
    instance_name = "priority"

    def get_queryset(self):
        return super().get_queryset().select_related("plan")


class ContributionViewSet(PartnershipScopedViewSet):
    """Partners' financial contributions by financial year: the business unit and the scrutineer."""

    serializer_class = ContributionSerializer
    create_service = staticmethod(services.contribution_create)
    update_service = staticmethod(services.contribution_update)
    instance_name = "contribution"

    def get_queryset(self):
        return super().get_queryset().select_related("agency")


class AgreementViewSet(PartnershipScopedViewSet):
    """Information sharing agreements (tier 1 and 2) with their signatories."""

    serializer_class = AgreementSerializer
    create_service = staticmethod(services.agreement_create)
    update_service = staticmethod(services.agreement_update)
    instance_name = "agreement"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("signatories__agency")


class RegionalFigureSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.slug", read_only=True)
    partnership_name = serializers.CharField(source="partnership.name", read_only=True)
    region = serializers.CharField(source="region.slug", read_only=True)

    class Meta:
        model = RegionalFigure
        fields = ["id", "region", "partnership", "partnership_name", "family", "label", "value", "year", "computed_at"]
        read_only_fields = fields


class RegionalFigureViewSet(PartnershipScopedViewSet):
    """The aggregate figures the partnerships of this partnership's regions chose to share (the
    regional comparison page's figures), each with the year and when it was computed. Filter with
    `family` (a kind of figure) and `partner` (a partnership's slug): asking for a kind of figure a
    partnership does not share is refused, never answered with nothing."""

    serializer_class = RegionalFigureSerializer
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset().select_related("partnership", "region")
        family = self.request.query_params.get("family")
        partner = self.request.query_params.get("partner")
        if family and family not in RegionalFigureFamily.values:
            raise ValidationError({"family": f"Choose one of {', '.join(RegionalFigureFamily.values)}."})
        if partner:
            members = RegionMembership.objects.restrict(self.access).select_related("partnership", "region")
            membership = members.filter(partnership__slug=partner).first()
            if membership is None:
                raise NotFound("No partnership with that slug in a region with yours.")
            if family and family not in membership.shared:
                label = RegionalFigureFamily(family).label
                raise PermissionDenied(
                    f"{membership.partnership} does not share '{label}' with {membership.region}: "
                    "only the figures a partnership chose to share are shown."
                )
            queryset = queryset.filter(partnership=membership.partnership)
        if family:
            queryset = queryset.filter(family=family)
        return queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("family", str, enum=RegionalFigureFamily.values, description="A kind of figure."),
            OpenApiParameter("partner", str, description="A partnership's slug, in a region with yours."),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


def register(router) -> None:
    prefix = r"partnerships/(?P<partnership_slug>[-\w]+)/governance"
    router.register(f"{prefix}/groups", GroupViewSet, basename="governance-group")
    router.register(f"{prefix}/regional-figures", RegionalFigureViewSet, basename="governance-regional-figure")
    router.register(f"{prefix}/meetings", MeetingViewSet, basename="governance-meeting")
    router.register(f"{prefix}/attendance", AttendanceViewSet, basename="governance-attendance")
    router.register(f"{prefix}/priorities", PriorityViewSet, basename="governance-priority")
    router.register(f"{prefix}/contributions", ContributionViewSet, basename="governance-contribution")
    router.register(f"{prefix}/sharing-agreements", AgreementViewSet, basename="governance-agreement")
