"""The JSON API for partnerships, agencies and people: the same scoping helper as the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError

from . import services
from .audit import attributed_to
from .models import Agency, Partnership, Person
from .related import ScopedModelSerializer
from .scoping import Access, Action, permits


class PartnershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partnership
        fields = ["slug", "name", "area", "financial_year_start_month"]


class AgencySerializer(ScopedModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "sector", "statutory_role", "locality"]


class PersonSerializer(ScopedModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "email", "job_title", "agency"]


class PartnershipViewSet(viewsets.ReadOnlyModelViewSet):
    """The partnerships you hold a role in."""

    serializer_class = PartnershipSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return Partnership.objects.restrict(Access.for_user(self.request.user))


class PartnershipScopedViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Base for records of one partnership: /api/partnerships/{slug}/<records>/."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    # A record's id is a number: anything else is a 404 at the router, not a ValueError deep in
    # the query (schemathesis found /agencies/null,null/ answering 500).
    lookup_value_regex = r"\d+"
    create_service = None
    update_service = None
    instance_name = ""
    # The roles that may add through POST, where fewer add than change (only the business unit
    # invites to a section 11 round; an agency lead changes its drafts). None: whoever may change.
    create_roles: frozenset[str] | None = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        viewer = Access.for_user(request.user)
        partnership = Partnership.objects.restrict(viewer).filter(slug=kwargs.get("partnership_slug")).first()
        if partnership is None:
            raise NotFound("No partnership with that slug that you hold a role in.")
        self.access = viewer.within(partnership)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "access"):
            context["partnership"] = self.access.partnership
            context["access"] = self.access  # related ids are looked up among the records it may see
        return context

    def get_queryset(self):
        action = Action.VIEW if self.request.method in ("GET", "HEAD", "OPTIONS") else Action.CHANGE
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.serializer_class.Meta.model.objects.restrict(self.access, action)

    def get_object(self):
        visible = self.serializer_class.Meta.model.objects.restrict(self.access, Action.VIEW)
        obj = get_object_or_404(visible, pk=self.kwargs["pk"])
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not permits(self.access, Action.CHANGE, obj):
            raise PermissionDenied("Your role does not let you change this record.")
        return obj

    def create(self, request, *args, **kwargs):
        # Permission before validation: a role that may not add learns nothing from field errors.
        if not self.access.can(Action.CHANGE, self.serializer_class.Meta.model) or (
            self.create_roles is not None and not self.access.has_role(*self.create_roles)
        ):
            raise PermissionDenied("Your role does not let you add these records.")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        self._run(
            serializer,
            lambda data: self.create_service(actor=self.request.user, partnership=self.access.partnership, **data),
        )

    def perform_update(self, serializer):
        self._run(
            serializer,
            lambda data: self.update_service(
                actor=self.request.user, **{self.instance_name: serializer.instance}, **data
            ),
        )

    def _run(self, serializer, call):
        try:
            with transaction.atomic(), attributed_to(self.request.user):
                serializer.instance = call(serializer.validated_data)
                # The same rule as the pages: a write may not leave the record outside your scope.
                if not permits(self.access, Action.CHANGE, serializer.instance):
                    raise PermissionDenied("Your role does not let you save this record with these details.")
        except DjangoValidationError as error:
            raise ValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            ) from error


class AgencyViewSet(PartnershipScopedViewSet):
    """Agencies of a partnership. The business unit may add and change them."""

    serializer_class = AgencySerializer
    create_service = staticmethod(services.agency_create)
    update_service = staticmethod(services.agency_update)
    instance_name = "agency"


class PersonViewSet(PartnershipScopedViewSet):
    """People of a partnership, as far as your role may see them."""

    serializer_class = PersonSerializer
    create_service = staticmethod(services.person_create)
    update_service = staticmethod(services.person_update)
    instance_name = "person"

    def get_queryset(self):
        return super().get_queryset().select_related("agency")
