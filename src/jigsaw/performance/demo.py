"""Demo indicators and two years of quarterly returns (2023/24 and 2024/25), on the figures and
quarters the 2024/25 annual report quotes:

- children scored on the Child Exploitation Vulnerability Tracker rising 7 → 14 → 23 (the report
  names Q2 and Q3 2023/24 and Q1 2024/25; read here as a steady rise, 7 in Q2 and 14 in Q3);
- children referred to CEVT for criminal exploitation, 12 in Q4 2023/24 to 5 in Q1 2024/25, and
  for sexual exploitation, 1 in Q3 and Q4 2023/24 to 14 in Q1 2024/25;
- CSC referrals with exploitation as the contact issue, 15 of 1,261 (1.19%) in Q1 2024/25;
- domestic abuse the highest factor in CSC referrals at about 24%;
- CSC domestic abuse re-referrals and police repeat domestic abuse incidents up 27% on the year;
- return home interviews offered and held within 72 hours, improving.

Other quarters are made-up figures in keeping with the report's words ('relatively stable',
'steadily risen'). Everything goes through the services; a second load adds nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from jigsaw.actions.models import LearningAction
from jigsaw.core.demo import COUNCIL, POLICE, loader
from jigsaw.core.models import Agency
from jigsaw.governance.models import Priority

from . import services
from .models import (
    DataQuality,
    Indicator,
    IndicatorValue,
    Polarity,
    ReturnRoute,
    ThinkTankSession,
    ThinkTankTheme,
    Unit,
)
from .periods import QUARTERLY, Period

CSC = "Durham Children's Social Care"
FIRST_QUARTER = datetime.date(2023, 4, 1)  # Q1 2023/24; eight quarters to Q4 2024/25

# code, title, definition, theme, priority words, unit, numerator, denominator, polarity, target, tolerance, agency, eight quarters
INDICATORS = [
    (
        "HOTH-1",
        "Children scored on the Child Exploitation Vulnerability Tracker (CEVT)",
        "Children with a CEVT score at the end of the quarter.",
        ThinkTankTheme.HARM_OUTSIDE_HOME,
        "Harm Outside",
        Unit.COUNT,
        "",
        "",
        Polarity.NEUTRAL,
        None,
        0,
        CSC,
        [5, 7, 14, 18, 23, 21, 19, 20],
    ),
    (
        "HOTH-2",
        "Children referred to CEVT for criminal exploitation",
        "Referrals to the CEVT in the quarter where criminal exploitation is the concern.",
        ThinkTankTheme.HARM_OUTSIDE_HOME,
        "Harm Outside",
        Unit.COUNT,
        "",
        "",
        Polarity.NEUTRAL,
        None,
        0,
        CSC,
        [9, 10, 11, 12, 5, 6, 7, 6],
    ),
    (
        "HOTH-3",
        "Children referred to CEVT for sexual exploitation",
        "Referrals to the CEVT in the quarter where sexual exploitation is the concern.",
        ThinkTankTheme.HARM_OUTSIDE_HOME,
        "Harm Outside",
        Unit.COUNT,
        "",
        "",
        Polarity.NEUTRAL,
        None,
        0,
        CSC,
        [2, 2, 1, 1, 14, 9, 8, 7],
    ),
    (
        "HOTH-4",
        "CSC referrals with exploitation as the contact issue",
        "Children's Social Care referrals in the quarter whose contact issue is exploitation, as a share of all referrals.",
        ThinkTankTheme.HARM_OUTSIDE_HOME,
        "Harm Outside",
        Unit.PERCENTAGE,
        "Referrals with the contact issue of exploitation",
        "All referrals to Children's Social Care",
        Polarity.NEUTRAL,
        None,
        0,
        CSC,
        [(14, 1198), (16, 1240), (13, 1175), (15, 1230), (15, 1261), (14, 1220), (16, 1282), (15, 1250)],
    ),
    (
        "DA-1",
        "CSC safeguarding referrals where domestic abuse is a factor",
        "Children's Social Care safeguarding referrals in the quarter with domestic abuse recorded as a factor.",
        ThinkTankTheme.DOMESTIC_ABUSE,
        "Domestic Abuse",
        Unit.PERCENTAGE,
        "Referrals with domestic abuse as a factor",
        "All safeguarding referrals to Children's Social Care",
        Polarity.NEUTRAL,
        None,
        0,
        CSC,
        [(290, 1198), (298, 1240), (282, 1175), (295, 1230), (303, 1261), (292, 1220), (308, 1282), (300, 1250)],
    ),
    (
        "DA-2",
        "CSC domestic abuse re-referrals",
        "Referrals to Children's Social Care for domestic abuse within 12 months of an earlier one.",
        ThinkTankTheme.DOMESTIC_ABUSE,
        "Domestic Abuse",
        Unit.COUNT,
        "",
        "",
        Polarity.LOWER,
        Decimal(32),
        Decimal(4),
        CSC,
        [30, 29, 31, 30, 37, 38, 39, 38],
    ),
    (
        "DA-3",
        "Repeat domestic abuse incidents recorded by police",
        "Domestic abuse incidents in the quarter at an address with an incident in the previous 12 months.",
        ThinkTankTheme.DOMESTIC_ABUSE,
        "Domestic Abuse",
        Unit.COUNT,
        "",
        "",
        Polarity.LOWER,
        Decimal(230),
        Decimal(20),
        POLICE,
        [210, 205, 220, 215, 265, 262, 280, 273],
    ),
    (
        "MC-1",
        "Return home interviews offered",
        "Missing episodes in the quarter after which the child was offered a return home interview.",
        ThinkTankTheme.MISSING,
        "Harm Outside",
        Unit.PERCENTAGE,
        "Missing episodes followed by an offer of a return home interview",
        "Missing episodes of children in County Durham",
        Polarity.HIGHER,
        Decimal(95),
        Decimal(5),
        CSC,
        [(160, 190), (170, 192), (175, 190), (180, 191), (185, 192), (188, 193), (186, 190), (190, 193)],
    ),
    (
        "MC-2",
        "Return home interviews held within 72 hours",
        "Return home interviews offered in the quarter that were held within 72 hours of the child's return.",
        ThinkTankTheme.MISSING,
        "Harm Outside",
        Unit.PERCENTAGE,
        "Interviews held within 72 hours",
        "Return home interviews offered",
        Polarity.HIGHER,
        Decimal(80),
        Decimal(10),
        CSC,
        [(96, 160), (110, 170), (125, 175), (135, 180), (148, 185), (156, 188), (160, 186), (167, 190)],
    ),
]

# Commentary ('so what') on the quarters the report talks about.
COMMENTARY = {
    (
        "HOTH-1",
        4,
    ): "The number of children scored on the CEVT has steadily risen, to 23 this quarter. Daily CEVT meetings are being piloted for a timelier response to risk.",
    (
        "HOTH-2",
        4,
    ): "Criminal exploitation referrals fell from 12 to 5. People of Concern meetings are focusing disruption on the adults exploiting children.",
    (
        "HOTH-3",
        4,
    ): "Sexual exploitation referrals rose to 14 from 1 in each of the last two quarters: the think tank asked partners why.",
    (
        "HOTH-4",
        4,
    ): "15 referrals (1.19% of all referrals) had exploitation as the contact issue; relatively stable over the past year.",
    ("DA-1", 4): "Domestic abuse remains the highest factor in safeguarding referrals, at about 24%.",
    (
        "DA-2",
        7,
    ): "Re-referrals for domestic abuse are 27% higher than last year. The deep dive audit is looking at early help for these families.",
    ("DA-3", 7): "Repeat incidents are up 27% on the previous year.",
    ("MC-1", 7): "More return home interviews offered since ERASE capacity increased; reflected in Ofsted's findings.",
    ("MC-2", 7): "Interviews within 72 hours now meet the target; improved missing dashboard in use.",
}
PROVISIONAL = {("DA-3", 7)}  # police figures for Q4 2024/25 awaiting validation
LATE = {("DA-3", 6): 45}  # submitted this many days after the quarter ended (due within 30)


def _priority(partnership, words: str):
    # The plan the demo years (2023/24, 2024/25) fall in: the earliest with such a priority.
    return (
        Priority.objects.filter(partnership=partnership, title__icontains=words)
        .order_by("plan__starts_on", "number")
        .first()
    )


@loader
def load_indicators(partnership, result) -> None:
    agencies = {a.name: a for a in Agency.objects.filter(partnership=partnership, name__in=[CSC, POLICE, COUNCIL])}
    quarters = [Period(FIRST_QUARTER, QUARTERLY, partnership.financial_year_start_month)]
    while len(quarters) < 8:
        quarters.append(quarters[-1].next())
    for (
        code,
        title,
        definition,
        theme,
        words,
        unit,
        numerator,
        denominator,
        polarity,
        target,
        tolerance,
        agency_name,
        figures,
    ) in INDICATORS:
        indicator = Indicator.objects.filter(partnership=partnership, code=code).first()
        if indicator is None:
            indicator = result.add(
                "indicators",
                services.indicator_create(
                    actor=None,
                    partnership=partnership,
                    code=code,
                    title=title,
                    definition=definition,
                    theme=theme,
                    priority=_priority(partnership, words),
                    unit=unit,
                    numerator_definition=numerator,
                    denominator_definition=denominator,
                    polarity=polarity,
                    target=target,
                    tolerance=tolerance,
                    source_agency=agencies[agency_name],
                ),
            )
        existing = set(IndicatorValue.objects.filter(indicator=indicator).values_list("period_start", flat=True))
        for index, (quarter, figure) in enumerate(zip(quarters, figures)):
            if quarter.start in existing:
                continue
            numbers = (
                {"numerator": Decimal(figure[0]), "denominator": Decimal(figure[1])}
                if isinstance(figure, tuple)
                else {"value": Decimal(figure)}
            )
            submitted = quarter.end + datetime.timedelta(days=LATE.get((code, index), 20))
            result.add(
                "indicator returns",
                services.value_submit(
                    actor=None,
                    partnership=partnership,
                    indicator=indicator,
                    agency=agencies[agency_name],
                    period_start=quarter.start,
                    commentary=COMMENTARY.get((code, index), ""),
                    route=ReturnRoute.DEMO,
                    data_quality=DataQuality.PROVISIONAL if (code, index) in PROVISIONAL else DataQuality.CONFIRMED,
                    submitted_at=timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(10))),
                    **numbers,
                ),
            )


SESSION_HELD_ON = datetime.date(2024, 7, 25)


@loader
def load_think_tank(partnership, result) -> None:
    session = ThinkTankSession.objects.filter(partnership=partnership, held_on=SESSION_HELD_ON).first()
    if session is None:
        session = result.add(
            "think tank sessions",
            services.session_create(
                actor=None,
                partnership=partnership,
                held_on=SESSION_HELD_ON,
                quarter_start=datetime.date(2024, 4, 1),
                themes_discussed=[
                    ThinkTankTheme.HARM_OUTSIDE_HOME,
                    ThinkTankTheme.EDUCATION,
                    ThinkTankTheme.MISSING,
                    ThinkTankTheme.MULTI_AGENCY_MEETINGS,
                    ThinkTankTheme.DOMESTIC_ABUSE,
                ],
                questions="Is there a correlation between harm outside the home and children missing from education or electively home educated?\n"
                "Why did CEVT referrals for sexual exploitation rise from 1 to 14 in one quarter?",
                challenge="Partners to bring their own data on children missing education who are open to the CEVT. "
                "Children's Social Care to explain the rise in domestic abuse re-referrals at the next session.",
                attendance="Children's Social Care (with the ERASE Team), Police, Integrated Care Board, Education, Harbour, Public Health",
            ),
        )
    source_type = ContentType.objects.get_for_model(ThinkTankSession)
    if not LearningAction.objects.filter(source_type=source_type, source_id=session.pk).exists():
        result.add(
            "actions",
            services.session_raise_action(
                actor=None,
                session=session,
                description="Bring attendance data for multi-agency meetings into the Think Tank.",
                owner_agency=Agency.objects.filter(partnership=partnership, name=COUNCIL).first(),
                due_on=datetime.date(2024, 10, 31),
            ),
        )
