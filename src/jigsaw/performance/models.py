"""The performance model: indicators, the returns partners make against them, and the think tank.

An indicator is defined once by the business unit (what it counts, how a percentage is worked
out, which way is better, its target). Agencies return a value for each period; a percentage or
rate is always computed from its numerator and denominator, never typed. The Performance Think
Tank reads the indicators by theme each quarter, challenges partners and raises actions into the
learning log.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jigsaw.core.models import Agency, Partnership
from jigsaw.core.reversing import reverse
from jigsaw.core.scoping import ALL, NOTHING, Action, Role, ScopedManager
from jigsaw.governance.models import Priority

from .periods import ANNUAL, MONTHLY, QUARTERLY, Period

# Returns are due this many days after the period ends; later than that they are late.
RETURN_DUE_DAYS = 30


class ThinkTankTheme(models.TextChoices):
    """The twelve themes the Performance Think Tank looked at in 2024/25; the first four are
    the business plan priorities."""

    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    HARM_OUTSIDE_HOME = "harm_outside_home", "Harm outside the home"
    FIRST_1001_DAYS = "first_1001_days", "First 1001 days"
    MENTAL_HEALTH = "mental_health", "Mental health and wellbeing"
    MISSING = "missing", "Children missing from home and care"
    EDUCATION = "education", "Children missing education and electively home educated"
    MULTI_AGENCY_MEETINGS = "multi_agency_meetings", "Multi-agency meetings"
    FRONT_DOOR = "front_door", "Referrals and the front door"
    EARLY_HELP = "early_help", "Early help"
    CHILD_PROTECTION = "child_protection", "Child protection"
    CHILDREN_IN_CARE = "children_in_care", "Children in care and care leavers"
    NEGLECT = "neglect", "Neglect"


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENTAGE = "percentage", "Percentage"
    RATE = "rate", "Rate per 10,000 children"
    DAYS = "days", "Days"


# Units whose value is worked out from a numerator and a denominator.
COMPUTED_UNITS = {Unit.PERCENTAGE: Decimal(100), Unit.RATE: Decimal(10_000)}


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEUTRAL = "neutral", "Neither (for information)"


class Frequency(models.TextChoices):
    MONTHLY = MONTHLY, "Monthly"
    QUARTERLY = QUARTERLY, "Quarterly"
    ANNUAL = ANNUAL, "Annual"


class DataQuality(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    PROVISIONAL = "provisional", "Provisional"
    CONCERN = "concern", "Data quality concern"


class ReturnRoute(models.TextChoices):
    FORM = "form", "Form"
    UPLOAD = "upload", "Upload"
    API = "api", "API"
    DEMO = "demo", "Demo data"


def _viewable(access):
    # Indicators, returns by agency and think-tank packs are the partners' working papers.
    return ALL if access.is_partner else NOTHING


CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,19}$")


class Indicator(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="indicators")
    code = models.CharField(
        max_length=20,
        help_text="Short and stable, capitals, digits and hyphens, for example DA-2. Used in uploads and the API.",
    )
    title = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted, from where, and what is left out.")
    theme = models.CharField("think tank theme", max_length=30, choices=ThinkTankTheme.choices)
    priority = models.ForeignKey(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name="business plan priority",
    )
    unit = models.CharField(max_length=20, choices=Unit.choices)
    numerator_definition = models.CharField(
        max_length=300, blank=True, help_text="For a percentage or rate: what is counted on top."
    )
    denominator_definition = models.CharField(
        max_length=300, blank=True, help_text="For a percentage or rate: what it is out of."
    )
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.NEUTRAL)
    target = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave blank for an indicator that is monitored, not rated.",
    )
    tolerance = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text="How far short of the target is amber rather than red, in the indicator's unit.",
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.QUARTERLY)
    source_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        help_text="The agency expected to make the return.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Retired indicators keep their history but are not expected any more."
    )

    objects = ScopedManager()
    same_partnership = ("priority", "source_agency")

    class Meta:
        ordering = ["theme", "code"]
        constraints = [models.UniqueConstraint(fields=["partnership", "code"], name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("performance:indicator", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @property
    def is_computed(self) -> bool:
        return self.unit in COMPUTED_UNITS

    def period(self, start: datetime.date) -> Period:
        return Period(start, self.frequency, self.partnership.financial_year_start_month)

    def clean(self) -> None:
        errors = {}
        if self.code and not CODE_PATTERN.match(self.code):
            errors["code"] = "Use capitals, digits and hyphens only, for example DA-2."
        if self.is_computed:
            for name in ("numerator_definition", "denominator_definition"):
                if not getattr(self, name).strip():
                    errors[name] = (
                        f"Say what the {name.split('_')[0]} counts: a {self.get_unit_display().lower()} is worked out from it."
                    )
        if self.tolerance is not None and self.tolerance < 0:
            errors["tolerance"] = "The tolerance cannot be negative."
        if self.target is not None and self.polarity == Polarity.NEUTRAL:
            errors["target"] = (
                "An indicator where neither direction is better has no target: choose higher or lower is better, or clear the target."
            )
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return _viewable(access)
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING


class IndicatorValue(models.Model):
    """One agency's return for one indicator and period. A second return for the same
    indicator, period and agency replaces the first; the audit trail keeps the earlier figure."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="indicator_values")
    period_start = models.DateField(help_text="The first day of the month, quarter or year the figure is for.")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    commentary = models.TextField("commentary ('so what')", blank=True)
    data_quality = models.CharField(max_length=20, choices=DataQuality.choices, default=DataQuality.CONFIRMED)
    route = models.CharField(max_length=10, choices=ReturnRoute.choices, default=ReturnRoute.FORM)
    submitted_by = models.ForeignKey("core.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager()
    same_partnership = ("indicator", "agency")

    class Meta:
        ordering = ["indicator", "period_start", "agency"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_start", "agency"], name="indicator_value_one_return")
        ]
        indexes = [models.Index(fields=["partnership", "period_start"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period.label} ({self.agency})"

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    def get_absolute_url(self) -> str:
        return self.indicator.get_absolute_url()

    @property
    def period(self) -> Period:
        return self.indicator.period(self.period_start)

    @property
    def due_on(self) -> datetime.date:
        return self.period.end + datetime.timedelta(days=RETURN_DUE_DAYS)

    @property
    def is_late(self) -> bool:
        return timezone.localtime(self.submitted_at).date() > self.due_on

    def clean(self) -> None:
        """Every rule a return must meet, wherever it comes from (form, upload or API)."""
        errors: dict[str, str] = {}
        indicator = self.indicator if self.indicator_id else None
        if indicator is not None and self.period_start:
            period = self.period
            if not period.is_aligned():
                errors["period_start"] = (
                    f"{indicator.code} is returned {indicator.get_frequency_display().lower()}: a period starts on the first day of a {'month' if indicator.frequency == MONTHLY else 'financial quarter' if indicator.frequency == QUARTERLY else 'financial year'}."
                )
            elif period.end >= timezone.localdate():
                errors["period_start"] = (
                    f"{period.label} has not ended yet: a return can only be made for a period that is over."
                )
        if indicator is not None:
            errors.update(self._check_unit(indicator))
        if errors:
            raise ValidationError(errors)

    def _check_unit(self, indicator: Indicator) -> dict[str, str]:
        if indicator.is_computed:
            unit = indicator.get_unit_display().lower()
            if self.numerator is None:
                return {
                    "numerator": f"Enter the numerator ({indicator.numerator_definition}): the {unit} is worked out from it."
                }
            if self.denominator is None:
                return {
                    "denominator": f"Enter the denominator ({indicator.denominator_definition}): a {unit} without one cannot be worked out."
                }
            if self.denominator == 0:
                return {
                    "denominator": "The denominator is zero: there is nothing to work a figure out of. Leave the return out or correct the count."
                }
            if self.numerator < 0 or self.denominator < 0:
                return {"numerator" if self.numerator < 0 else "denominator": "Counts cannot be negative."}
            if indicator.unit == Unit.PERCENTAGE and self.numerator > self.denominator:
                return {"numerator": "The numerator is larger than the denominator: a percentage cannot be over 100%."}
            self.value = (self.numerator * COMPUTED_UNITS[indicator.unit] / self.denominator).quantize(
                Decimal("0.0001")
            )
            return {}
        if self.numerator is not None or self.denominator is not None:
            return {
                "numerator": f"{indicator.code} is a {indicator.get_unit_display().lower()}: enter the value only, without a numerator or denominator."
            }
        if self.value is None:
            return {"value": f"Enter the value, in {indicator.get_unit_display().lower()}."}
        if self.value < 0:
            return {"value": "The value cannot be negative."}
        if indicator.unit == Unit.COUNT and self.value != self.value.to_integral_value():
            return {"value": f"{indicator.code} is a count: enter a whole number."}
        return {}

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return _viewable(access)
        if Role.BUSINESS_UNIT in access.roles:
            return ALL
        if Role.AGENCY_LEAD in access.roles:
            return Q(agency_id__in=access.agency_ids)
        return NOTHING


class ThinkTankSession(models.Model):
    """A meeting of the Performance Think Tank: the quarter it read, the themes it discussed,
    the questions and challenge it put to partners. Its actions go into the learning log."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="think_tank_sessions")
    held_on = models.DateField()
    quarter_start = models.DateField(
        "quarter reviewed", help_text="The first day of the quarter whose figures were read."
    )
    themes_discussed = models.JSONField(default=list, blank=True)
    questions = models.TextField("questions raised", blank=True)
    challenge = models.TextField("challenge to partners", blank=True)
    attendance = models.TextField("agencies present", blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Think tank, {self.held_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("performance:session", args=[self.partnership.slug, self.pk])

    def get_additional_data(self) -> dict:
        return {"partnership": self.partnership_id}

    @property
    def quarter(self) -> Period:
        return Period(self.quarter_start, QUARTERLY, self.partnership.financial_year_start_month)

    @property
    def theme_labels(self) -> list[str]:
        return [ThinkTankTheme(code).label for code in self.themes_discussed if code in ThinkTankTheme.values]

    def clean(self) -> None:
        errors = {}
        unknown = [code for code in self.themes_discussed or [] if code not in ThinkTankTheme.values]
        if unknown:
            errors["themes_discussed"] = f"Not a think tank theme: {', '.join(map(str, unknown))}."
        if self.quarter_start and self.partnership_id and not self.quarter.is_aligned():
            errors["quarter_start"] = "Choose the first day of a financial quarter."
        if errors:
            raise ValidationError(errors)

    @classmethod
    def scope_rule(cls, access, action):
        if action == Action.VIEW:
            return _viewable(access)
        return ALL if Role.BUSINESS_UNIT in access.roles else NOTHING
