"""The performance API: indicators (read; the business unit may add and change them) and values
(read, and submit: an agency lead submits only their own agency's returns)."""

from __future__ import annotations

from rest_framework import serializers

from jigsaw.core.api import PartnershipScopedViewSet
from jigsaw.core.models import Agency
from jigsaw.core.related import ScopedModelSerializer, ScopedRelatedField, ScopedSlugRelatedField
from jigsaw.core.scoping import Role

from . import services
from .models import DataQuality, Indicator, IndicatorValue, ReturnRoute
from .periods import Period


class IndicatorSerializer(ScopedModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "title",
            "definition",
            "theme",
            "priority",
            "unit",
            "numerator_definition",
            "denominator_definition",
            "polarity",
            "target",
            "tolerance",
            "frequency",
            "source_agency",
            "is_active",
        ]


class ValueSerializer(ScopedModelSerializer):
    """A return. Give `indicator` as its code and `period` as written (Q1 2024/25, April 2024,
    2024/25). For a percentage or rate send numerator and denominator: the value is worked out.
    A second return for the same indicator, period and agency replaces the first (`replaced`)."""

    # Codes are unique within a partnership, not across them: looked up among the ones in scope.
    indicator = ScopedSlugRelatedField(slug_field="code", queryset=Indicator.objects.select_related("partnership"))
    agency = ScopedRelatedField(queryset=Agency.objects.all())
    period = serializers.CharField(
        write_only=True, help_text="Q1 2024/25, April 2024 or 2024/25, as the indicator is returned."
    )
    period_label = serializers.SerializerMethodField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4, required=False, allow_null=True)
    data_quality = serializers.ChoiceField(choices=DataQuality.choices, default=DataQuality.CONFIRMED)
    replaced = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "agency",
            "period",
            "period_start",
            "period_label",
            "value",
            "numerator",
            "denominator",
            "commentary",
            "data_quality",
            "route",
            "submitted_at",
            "replaced",
        ]
        read_only_fields = ["period_start", "route", "submitted_at"]

    def get_period_label(self, obj) -> str:
        return obj.period.label

    def get_replaced(self, obj) -> bool:
        return bool(getattr(obj, "replaces", False))

    def validate(self, data):
        partnership = self.context["partnership"]
        access = self.context["access"]
        indicator, agency = data["indicator"], data["agency"]
        if not access.has_role(Role.BUSINESS_UNIT) and agency.pk not in access.agency_ids:
            raise serializers.ValidationError({"agency": "You can only submit returns for your own agency."})
        try:
            data["period_start"] = Period.parse(
                data.pop("period"), indicator.frequency, partnership.financial_year_start_month
            ).start
        except ValueError as error:
            raise serializers.ValidationError({"period": str(error)}) from None
        return data


class IndicatorViewSet(PartnershipScopedViewSet):
    """Performance indicators. Everyone in the partnership reads them; the business unit adds and changes them."""

    serializer_class = IndicatorSerializer
    create_service = staticmethod(services.indicator_create)
    update_service = staticmethod(services.indicator_update)
    instance_name = "indicator"

    def get_queryset(self):
        return super().get_queryset().select_related("partnership")


class ValueViewSet(PartnershipScopedViewSet):
    """Indicator returns. Everyone in the partnership reads them; agency leads submit their own
    agency's, the business unit any. Filter with ?indicator=<code>."""

    serializer_class = ValueSerializer
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset().select_related("indicator__partnership", "agency")
        code = self.request.query_params.get("indicator")
        return queryset.filter(indicator__code=code) if code else queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self, "access"):
            context["access"] = self.access
        return context

    def perform_create(self, serializer):
        self._run(
            serializer,
            lambda data: services.value_submit(
                actor=self.request.user, partnership=self.access.partnership, route=ReturnRoute.API, **data
            ),
        )


def register(router):
    router.register(r"partnerships/(?P<partnership_slug>[-\w]+)/indicators", IndicatorViewSet, basename="indicator")
    router.register(
        r"partnerships/(?P<partnership_slug>[-\w]+)/indicator-values", ValueViewSet, basename="indicator-value"
    )
