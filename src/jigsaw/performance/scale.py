"""Generated performance data for `jigsaw demo --scale`: an indicator catalogue, each
indicator's quarterly returns from the agencies that make them, and a think tank session
each quarter.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from jigsaw.core import bulk
from jigsaw.core.scale import CHILDRENS_SOCIAL_CARE, POLICE, Context, agency_named, generator

from .models import Indicator, IndicatorValue, Polarity, ReturnRoute, ThinkTankSession, ThinkTankTheme, Unit
from .periods import QUARTERLY, Period

HEALTH = "{area} Hospitals NHS Foundation Trust"
REFERRERS = [POLICE, HEALTH, "{area} Schools", "{area} Early Help", "{area} GP practices"]
# code, title, theme, unit, (numerator, denominator), polarity, target, tolerance, agencies returning it, typical quarterly figure
INDICATORS = [
    (
        "REF-1",
        "Referrals to children's social care",
        ThinkTankTheme.FRONT_DOOR,
        Unit.COUNT,
        None,
        Polarity.NEUTRAL,
        None,
        0,
        REFERRERS,
        250,
    ),
    (
        "REF-2",
        "Re-referrals within 12 months",
        ThinkTankTheme.FRONT_DOOR,
        Unit.PERCENTAGE,
        ("Re-referrals within 12 months", "All referrals"),
        Polarity.LOWER,
        Decimal(20),
        Decimal(3),
        [CHILDRENS_SOCIAL_CARE],
        (230, 1200),
    ),
    (
        "CP-1",
        "Children subject to a child protection plan",
        ThinkTankTheme.CHILD_PROTECTION,
        Unit.RATE,
        ("Children on a plan", "Children in the area"),
        Polarity.NEUTRAL,
        None,
        0,
        [CHILDRENS_SOCIAL_CARE],
        (480, 110_000),
    ),
    (
        "CP-2",
        "Initial conferences within 15 working days",
        ThinkTankTheme.CHILD_PROTECTION,
        Unit.PERCENTAGE,
        ("Held within 15 working days", "Initial conferences"),
        Polarity.HIGHER,
        Decimal(85),
        Decimal(5),
        [CHILDRENS_SOCIAL_CARE],
        (120, 140),
    ),
    (
        "DA-1",
        "Domestic abuse incidents with children present",
        ThinkTankTheme.DOMESTIC_ABUSE,
        Unit.COUNT,
        None,
        Polarity.LOWER,
        Decimal(600),
        Decimal(50),
        [POLICE],
        580,
    ),
    (
        "DA-2",
        "Repeat MARAC cases",
        ThinkTankTheme.DOMESTIC_ABUSE,
        Unit.PERCENTAGE,
        ("Repeat cases", "MARAC cases"),
        Polarity.LOWER,
        Decimal(30),
        Decimal(5),
        [POLICE],
        (60, 210),
    ),
    (
        "HOTH-1",
        "Children scored on the exploitation vulnerability tracker",
        ThinkTankTheme.HARM_OUTSIDE_HOME,
        Unit.COUNT,
        None,
        Polarity.NEUTRAL,
        None,
        0,
        [CHILDRENS_SOCIAL_CARE],
        20,
    ),
    (
        "MC-1",
        "Return home interviews within 72 hours",
        ThinkTankTheme.MISSING,
        Unit.PERCENTAGE,
        ("Held within 72 hours", "Interviews offered"),
        Polarity.HIGHER,
        Decimal(80),
        Decimal(10),
        [CHILDRENS_SOCIAL_CARE],
        (150, 190),
    ),
    (
        "F1001-1",
        "New birth visits within 14 days",
        ThinkTankTheme.FIRST_1001_DAYS,
        Unit.PERCENTAGE,
        ("Visits within 14 days", "Births"),
        Polarity.HIGHER,
        Decimal(90),
        Decimal(5),
        [HEALTH],
        (1050, 1120),
    ),
    (
        "MH-1",
        "Days from referral to first mental health appointment",
        ThinkTankTheme.MENTAL_HEALTH,
        Unit.DAYS,
        None,
        Polarity.LOWER,
        Decimal(28),
        Decimal(7),
        ["{area} Mental Health NHS Foundation Trust"],
        31,
    ),
    (
        "EH-1",
        "Early help assessments started",
        ThinkTankTheme.EARLY_HELP,
        Unit.COUNT,
        None,
        Polarity.HIGHER,
        Decimal(400),
        Decimal(40),
        ["{area} Early Help", "{area} Schools"],
        210,
    ),
]


@generator(once=True)
def indicators(ctx: Context) -> None:
    have = set(Indicator._base_manager.filter(partnership=ctx.partnership).values_list("code", flat=True))
    catalogue = []
    for code, title, theme, unit, ratio, polarity, target, tolerance, returners, _ in INDICATORS:
        if code in have:
            continue
        numerator, denominator = ratio or ("", "")
        catalogue.append(
            Indicator(
                partnership=ctx.partnership,
                code=code,
                title=title,
                definition=f"{title}, in the quarter.",
                theme=theme,
                unit=unit,
                numerator_definition=numerator,
                denominator_definition=denominator,
                polarity=polarity,
                target=target,
                tolerance=tolerance,
                source_agency=agency_named(ctx, returners[0]),
            )
        )
    ctx.add("indicators", len(bulk.create(catalogue)))


def _quarters(ctx: Context) -> list[Period]:
    quarters = [Period(ctx.year.start, QUARTERLY, ctx.partnership.financial_year_start_month)]
    while len(quarters) < 4:
        quarters.append(quarters[-1].next())
    return quarters


@generator
def quarterly_returns(ctx: Context) -> None:
    if IndicatorValue._base_manager.filter(
        partnership=ctx.partnership, period_start__range=(ctx.year.start, ctx.year.end)
    ).exists():
        return
    catalogue = {indicator.code: indicator for indicator in Indicator._base_manager.filter(partnership=ctx.partnership)}
    values = []
    for code, _, _, unit, ratio, _, _, _, returners, typical in INDICATORS:
        indicator = catalogue[code]
        for quarter in _quarters(ctx):
            for template in returners:
                drift = ctx.random.uniform(0.9, 1.1)
                value = IndicatorValue(
                    partnership=ctx.partnership,
                    indicator=indicator,
                    agency=agency_named(ctx, template),
                    period_start=quarter.start,
                    route=ReturnRoute.DEMO,
                    submitted_at=timezone.make_aware(
                        datetime.datetime.combine(quarter.end + datetime.timedelta(days=20), datetime.time(10))
                    ),
                )
                if ratio:
                    numerator, denominator = typical
                    value.denominator = Decimal(round(denominator * ctx.random.uniform(0.95, 1.05)))
                    value.numerator = min(value.denominator, Decimal(round(numerator * min(drift, 1.05))))
                    # As the model's clean() works it out for a form's return.
                    scale = Decimal(100) if unit == Unit.PERCENTAGE else Decimal(10_000)
                    value.value = (value.numerator * scale / value.denominator).quantize(Decimal("0.0001"))
                else:
                    value.value = Decimal(max(0, round(typical * drift)))
                values.append(value)
    # Bulk: every indicator's returns for the year from every agency. Not individually audited
    # (a form's or upload's return is); generated figures replace nothing.
    ctx.add("indicator returns", len(IndicatorValue.objects.bulk_create(values, batch_size=1000)))


@generator
def think_tank(ctx: Context) -> None:
    if ThinkTankSession._base_manager.filter(
        partnership=ctx.partnership, quarter_start__range=(ctx.year.start, ctx.year.end)
    ).exists():
        return
    sessions = [
        ThinkTankSession(
            partnership=ctx.partnership,
            held_on=quarter.end + datetime.timedelta(days=40),
            quarter_start=quarter.start,
            themes_discussed=ctx.random.sample(ThinkTankTheme.values, 4),
            questions="What is behind the change this quarter?",
            challenge="Partners to bring their own data to the next session.",
            attendance="Children's social care, police, health, education",
        )
        for quarter in _quarters(ctx)
    ]
    ctx.add("think tank sessions", len(bulk.create(sessions)))
