"""The report over the JSON API: reports (start one from the template, change its title; one
report read alone carries its figures as of now, from the same cache as the pages) and their
builds, each with the figures it used (the content of figures.json)."""

from __future__ import annotations

from rest_framework import serializers

from jigsaw.core.api import PartnershipScopedViewSet
from jigsaw.core.related import ScopedModelSerializer

from . import queries, services
from .models import Build, Report


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = ["id", "year", "title", "status", "version", "published_on"]
        read_only_fields = ["status", "version", "published_on"]


class ReportDetailSerializer(ReportSerializer):
    figures = serializers.SerializerMethodField(
        help_text="figures.json as of now: a draft's figures today (never older than its records), "
        "a published version's as published."
    )

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "figures"]

    def get_figures(self, report) -> dict:
        return queries.figures(report)


class ReportUpdateSerializer(ReportSerializer):
    class Meta(ReportSerializer.Meta):
        read_only_fields = ["year", "status", "version", "published_on"]


class BuildSerializer(ScopedModelSerializer):
    class Meta:
        model = Build
        fields = [
            "id",
            "report",
            "requested_at",
            "started_at",
            "finished_at",
            "status",
            "progress",
            "step",
            "error",
            "figures",
        ]
        read_only_fields = [
            "requested_at",
            "started_at",
            "finished_at",
            "status",
            "progress",
            "step",
            "error",
            "figures",
        ]


def _build_create(*, actor, partnership, report):
    return services.build_request(actor=actor, report=report)


class ReportViewSet(PartnershipScopedViewSet):
    """A partnership's annual reports (drafts for the partnership's roles, published ones for all).
    The business unit may start one (from the template) and change its title."""

    serializer_class = ReportSerializer
    create_service = staticmethod(services.report_create)
    update_service = staticmethod(services.report_update)
    instance_name = "report"

    def get_serializer_class(self):
        if self.request.method == "PATCH":
            return ReportUpdateSerializer
        # Only a report read alone: a list stays one query whatever the number of reports.
        return ReportDetailSerializer if self.action == "retrieve" else ReportSerializer


class BuildViewSet(PartnershipScopedViewSet):
    """Builds of the reports, with every figure each build used (figures.json). The business
    unit may start one (`report`): it runs in the background; poll it for its status."""

    serializer_class = BuildSerializer
    http_method_names = ["get", "post", "head", "options"]
    create_service = staticmethod(_build_create)

    def get_queryset(self):
        return super().get_queryset().order_by("-requested_at", "-pk")


def register(router) -> None:
    router.register(r"partnerships/(?P<partnership_slug>[-\w]+)/reports", ReportViewSet, basename="report")
    router.register(r"partnerships/(?P<partnership_slug>[-\w]+)/report-builds", BuildViewSet, basename="report-build")
