"""API: documents (published ones readable without signing in), versions and escalations,
through the same scoping helper as the pages."""

from __future__ import annotations

from rest_framework import permissions, serializers
from rest_framework.exceptions import NotAuthenticated, NotFound

from jigsaw.core.api import PartnershipScopedViewSet
from jigsaw.core.generic import PUBLIC
from jigsaw.core.models import Partnership
from jigsaw.core.related import ScopedModelSerializer
from jigsaw.core.scoping import Access

from . import services
from .models import Document, Escalation, Version


class DocumentSerializer(serializers.ModelSerializer):
    # Null until a group owns it / a version is published: said so in the schema (schemathesis checks).
    owning_group = serializers.StringRelatedField(read_only=True, allow_null=True)
    current_version = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    last_updated = serializers.DateField(source="current_version.published_on", read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "title",
            "kind",
            "summary",
            "status",
            "owning_group",
            "joint_partner",
            "review_interval_months",
            "review_due_on",
            "current_version",
            "last_updated",
        ]
        read_only_fields = ["status", "review_due_on"]


class VersionSerializer(ScopedModelSerializer):
    class Meta:
        model = Version
        fields = [
            "id",
            "document",
            "number",
            "status",
            "body",
            "effective_on",
            "what_changed",
            "approved_on",
            "published_on",
        ]
        read_only_fields = ["number", "status", "approved_on", "published_on"]

    def validate_document(self, document):
        if self.instance is not None and document != self.instance.document:
            raise serializers.ValidationError("A version stays with its document.")
        return document


class EscalationSerializer(ScopedModelSerializer):
    class Meta:
        model = Escalation
        fields = [
            "id",
            "reference",
            "raising_agency",
            "practitioner_role",
            "receiving_agency",
            "child_reference",
            "theme",
            "concern",
            "stage",
            "stage1_on",
            "stage2_on",
            "stage3_on",
            "stage4_on",
            "resolved_on",
            "outcome",
        ]
        read_only_fields = ["reference", "stage", "stage2_on", "stage3_on", "stage4_on", "resolved_on", "outcome"]


class DocumentViewSet(PartnershipScopedViewSet):
    """The procedures library. Without signing in (or as someone outside the partnership) you
    read the published documents only. The business unit may add documents and change their details."""

    serializer_class = DocumentSerializer
    permission_classes = [permissions.AllowAny]
    roles = PUBLIC
    create_service = staticmethod(services.document_create)
    update_service = staticmethod(services.document_update)
    instance_name = "document"

    def initial(self, request, *args, **kwargs):
        super(PartnershipScopedViewSet, self).initial(request, *args, **kwargs)
        partnership = Partnership.objects.filter(slug=kwargs.get("partnership_slug")).first()
        self.access = Access.for_user(request.user).within(partnership) if partnership else None
        reading = request.method in ("GET", "HEAD", "OPTIONS")
        if partnership is None or not (reading or self.access.roles or request.user.is_anonymous):
            raise NotFound("No partnership with that slug that you hold a role in.")
        if not reading and request.user.is_anonymous:
            raise NotAuthenticated()

    def get_queryset(self):
        return super().get_queryset().select_related("owning_group", "current_version")


def _version_create(*, actor, partnership, **data):
    return services.version_create(actor=actor, **data)


def _version_update(*, actor, version, document=None, **data):
    return services.version_update(actor=actor, version=version, **data)


class VersionViewSet(PartnershipScopedViewSet):
    """Versions of the documents, with their body in Markdown. The business unit may add a draft
    version and change a draft; approving and publishing are done on the pages."""

    serializer_class = VersionSerializer
    create_service = staticmethod(_version_create)
    update_service = staticmethod(_version_update)
    instance_name = "version"


class EscalationViewSet(PartnershipScopedViewSet):
    """Professional disagreements, as far as your role may see them. Stages are moved on the pages."""

    serializer_class = EscalationSerializer
    create_service = staticmethod(services.escalation_create)
    update_service = staticmethod(services.escalation_update)
    instance_name = "escalation"

    def get_queryset(self):
        return super().get_queryset().select_related("raising_agency", "receiving_agency", "theme")


def register(router) -> None:
    router.register(
        r"partnerships/(?P<partnership_slug>[-\w]+)/documents", DocumentViewSet, basename="policies-document"
    )
    router.register(
        r"partnerships/(?P<partnership_slug>[-\w]+)/document-versions", VersionViewSet, basename="policies-version"
    )
    router.register(
        r"partnerships/(?P<partnership_slug>[-\w]+)/escalations", EscalationViewSet, basename="policies-escalation"
    )
