"""The demo partnership's 2024/25 annual report: the reference report's narrative, paraphrased
closely, with every registered data block filled from the demo records of every app.

Runs after every other app's demo (reports is last in INSTALLED_APPS). Loading again adds only
the blocks of apps that landed since; a block no app has registered is left out.
"""

from __future__ import annotations

from jigsaw.core.demo import DOMAIN, loader
from jigsaw.core.figures import registry
from jigsaw.core.models import User

from . import services
from .markup import BLOCK_LINE
from .models import Report, ReportStatus
from .template import TEMPLATE, block_lines, placement

YEAR = "2024-25"

NARRATIVE = {
    "Introduction": """
Welcome to the Durham Safeguarding Children Partnership (DSCP) annual report for 2024-2025. The report gives an overview of the past year's multi-agency safeguarding activity and of the learning and lasting improvements in our local safeguarding system, by 'putting together the pieces of the jigsaw' to understand practice on the ground.

We keep encouraging open discussion and ask partners not to shy away from challenge. We ask every partner agency to identify learning and improvement and, above all, to ask the "so what" question: how does our work change things for the children and young people of County Durham?

Working Together to Safeguard Children 2023 continues to drive many of the changes in our practice. This report shows that safeguarding remained a priority for every partner agency, with consistently high attendance, well-embedded subgroups and a strong culture of innovation, challenge and debate. The lived experience of children and young people stays at the centre of our work.

We thank everyone working across the partnership who supports children, young people and families every day. We are immensely grateful for all that you, our workforce, do across the county – thank you.
""",
    "Children and young people in our area": """
County Durham has 250 schools: 190 primary schools (including 7 infant-only and 5 junior-only schools), 8 special schools, 6 independent schools, 1 pupil referral unit and 42 alternative provision providers.
""",
    "About the partnership": """
The DSCP is a statutory, multi-organisation partnership coordinated by a business unit, which oversees and leads children's safeguarding across the Durham County Council area. Its main objective is to be assured that local safeguarding arrangements work effectively, individually and together, to support and safeguard children at risk of abuse and neglect.

### How the partnership is structured

Each subgroup has clear terms of reference and an annual workplan aligned with the partnership's strategic priorities, and each workplan shows the 'golden threads' of practice that run through the priority areas.

{{ block governance.structure }}

### Lead safeguarding partners

The lead safeguarding partners – the Chief Executive of the council, the Chief Executive of the integrated care board and the Chief Constable – lead the changes the government has set out, through the Chief Officers Safeguarding Group. They speak with authority for their organisations, take decisions and commit to them on policy, resourcing and practice.

### Delegate safeguarding partners and the executive group

The executive group sits directly under the lead safeguarding partners and brings together the delegate safeguarding partners. The chair rotates every 12 months: between April 2024 and March 2025 it was the Corporate Director of Children and Young People's Services; from April 2025 it passes to the Detective Chief Superintendent. The executive continued its in-person assurance meetings, where senior officers give evidence on the effectiveness of their agency's safeguarding arrangements.

{{ block governance.attendance.by_group }}

### Business unit

The business unit manages and supports the partnership. Its staffing has been stable over the past 12 months, allowing the team to grow in skill and confidence.
""",
    "Safeguarding partnership subgroups": """
The subgroups sit under the lead and delegate safeguarding partners and lead the partnership's practice improvement. Each has a clear remit and reports transparently to the executive; terms of reference, chairing and membership are reviewed every year.

### Performance and Learning Group

The Performance and Learning Group (PLG) monitors the impact and outcomes of partner activity, as chapter 3 of Working Together 2023 requires. This year it agreed a serious incident notification and child safeguarding practice review panel, joined the Durham Learning Together practice model, and oversaw action plans from reflective discussions and rapid reviews.

### Improvement Delivery Group and the learning cycles

The Improvement Delivery Group (IDG) manages the priority improvement work through the learning cycle: each priority has a key line of enquiry, a methodology, findings, the voice of children and families, areas of development, the difference made after six months and a phase-6 review of assurance.

{{ block learning.cycles }}

For domestic abuse, the deep dive found that practitioners did not consistently see incidents through the eyes of the child. A Domestic Abuse Practice Lead role was created, Operation Encompass was refreshed and domestic abuse ambassadors were trained. One child, aged 9, told us: "I am scared when mam's boyfriend visits the house. To feel safe, I need him to stay away."

### Multi-agency policy and procedure group

This subgroup revises and writes the policies, procedures and practice guidance practitioners from every organisation use. It has been an especially busy year.

{{ block policies.documents_updated }}

{{ block policies.escalations }}

### Performance Think Tank

The Think Tank brings partners' data and qualitative information together to ask 'so what?'. During 2024/25 it looked at 12 themes, four of them linked directly to the business plan priorities.

{{ block performance.indicators }}

### Golden threads

Child's voice and lived experience; working together across partners and boundaries; a whole family approach; cultural competence; reflective practice; Signs of Safety.
""",
    "Learning and improvement work": """
The DSCP reviews and updates local pathways, policies and procedures so that they respond to current need and risk, and horizon-scans for emerging threats.

### Learning from reviews

The serious incident notification and child safeguarding practice review panel discussed every referral and made recommendations to the delegate safeguarding partners. Serious incident notifications were made for five children and young people; two met the criteria for a rapid review, and in both the learning could be understood without a local child safeguarding practice review.

{{ block learning.reviews }}

Learning is shared in the PLG, actions are agreed and the plans reviewed at 6 and 12 months. Every action is kept in the themed learning log.

{{ block actions.log.by_status }}

### Organisational safeguarding assessment

Section 11 of the Children Act 2004 requires agencies to have regard to the need to safeguard and promote the welfare of children. The partnership piloted its Organisational Safeguarding Assessment in the south of the county, followed by a reflect and challenge event on 27 September 2024.

{{ block assurance.self_assessment }}

### Multi-agency meeting assurance week

Each year partners observe multi-agency meetings, and talk with the children, parents and practitioners involved, to learn from good practice and strengthen professional relationships.

{{ block assurance.assurance_week }}

The week found that the voice of the child must be promoted in every meeting, and that the core group should identify who knows the child best – this is not only the social worker's role.
""",
    "Use of restraint": """
The DSCP monitors the use of restraint at Aycliffe Secure Centre, which cares for young people aged 10 to 17 with complex needs, reviewing the data and a random selection of CCTV footage with the centre's managers. Injuries are graded by the medical intervention needed, from level 1 (no treatment) to level 3 (hospital treatment).

{{ block assurance.restraint }}

This scrutiny assures the partnership that restraint is monitored for legality and proportionality. The centre was judged 'good' at its latest Ofsted inspection, with children's health judged 'outstanding'.
""",
    "Training": """
This was an extremely successful year for the multi-agency training offer: eLearning, face-to-face and virtual courses, safeguarding week, the development day and bespoke training. We increased our eLearning courses from 30 to 45, even though we changed eLearning platform part way through the year.

{{ block training.completions.total }}

{{ block training.completions.by_mode }}

{{ block training.completions.by_category }}

### What practitioners told us

{{ block training.evaluations.content_rating_by_mode }}

{{ block training.evaluations.knowledge_by_mode }}

{{ block training.evaluations.impact }}

> "I have been able to identify worries, signs and symptoms at a much earlier opportunity and I was confident of what I needed to do next."
""",
    "What's next for the partnership": """
The partnership has reviewed its strategic business plan and agreed new priorities for 2025 to 2027, in line with local and national learning:

1. Harm outside the home
2. Safeguarding through early identification and intervention
3. Trauma-informed practice
4. Working Together and the Towards Reform action plan

Mental health and wellbeing will no longer be a priority, but it becomes a golden thread through all of the work.
""",
    "Appendix": """
### Partnership budget

The strategic partners' financial contributions are set out below. Durham Constabulary also contributes a partnership analyst, shared between the Durham and Darlington children's and adults' partnerships. The training programme also generates income through non-attendance charges, registration fees and bespoke training.

{{ block governance.budget }}
""",
    "Overview and assurance by the independent scrutineer": """
As Independent Scrutineer I can give assurance that the partnership structure and practices Working Together 2023 requires are embedded and followed as normal business. The lead members have met on several occasions, and the executive group that supports them is well established.

This year the executive agreed a scrutiny methodology and schedule to complement the partnership's audit and assurance functions, and received assurance presentations from the Front Door and Elective Home Education.

Where tragic incidents have happened, review processes have been carried out at pace with good partner attendance. I have been involved in these reviews and am assured of their rigour, their compliance with statutory obligations and their thoroughness.

*Adrian Green, Independent Scrutineer*
""",
}


def _body(heading: str, placed: list[str], available: set[str]) -> str:
    """The narrative with the block lines of blocks that exist, and the section's other
    registered blocks after it."""
    text = NARRATIVE[heading].strip()
    text = BLOCK_LINE.sub(lambda match: match.group(0) if match.group(1) in available else "", text)
    mentioned = set(BLOCK_LINE.findall(text))
    extra = [name for name in placed if name not in mentioned]
    if extra:
        text = f"{text}\n\n{block_lines(extra)}"
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text + "\n"


@loader
def load_annual_report(partnership, result) -> None:
    names = list(registry())
    available = set(names)
    report = Report.objects.filter(partnership=partnership, year=YEAR).order_by("-version").first()
    if report is None:
        report = result.add(
            "annual reports",
            services.report_create(
                actor=None,
                partnership=partnership,
                year=YEAR,
                title="Annual Report 2024/2025",
            ),
        )
        for section, placed in zip(TEMPLATE, placement(names)):
            record = report.sections.get(heading=section.heading)
            services.section_update(actor=None, section=record, body=_body(section.heading, placed, available))
        scrutineer = User.objects.filter(email=f"scrutineer@{DOMAIN}").first()
        if scrutineer is not None:  # a review comment, so the draft shows what review looks like
            result.add(
                "annual report comments",
                services.comment_add(
                    actor=scrutineer,
                    section=report.sections.get(heading="Learning and improvement work"),
                    body="Please say what changed in practice after the two rapid reviews, not only what was done: the 'so what'.",
                ),
            )
        return
    if report.status == ReportStatus.DRAFT and services.missing_template_blocks(report):
        # Apps that landed since the report was loaded: their blocks join it.
        result.created["annual report data blocks"] += services.report_add_missing_blocks(actor=None, report=report)
