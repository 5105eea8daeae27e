"""What Working Together to Safeguard Children 2023 says a partnership's yearly report must
cover (chapter 2, 'Reporting'). A fixed list: each section of a report ticks the items it
covers, and the items no section covers are the report's gaps."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    title: str
    hint: str


CHECKLIST = [
    ChecklistItem(
        "what_partners_did",
        "What the safeguarding partners and relevant agencies did",
        "What was done as a result of the arrangements during the year, including the priorities worked on.",
    ),
    ChecklistItem(
        "effectiveness",
        "How effective the arrangements have been",
        "Evidence of how well the arrangements worked in practice, with data.",
    ),
    ChecklistItem(
        "impact_on_outcomes",
        "Impact on outcomes for children and families, including training",
        "Evidence of the impact of the partners' work, including multi-agency training, from early help to children in care and care leavers.",
    ),
    ChecklistItem(
        "little_progress",
        "Where there has been little or no progress",
        "An analysis of any agreed priorities where there is little or no evidence of progress.",
    ),
    ChecklistItem(
        "learning_from_reviews",
        "Learning from reviews and what changed",
        "Decisions and actions taken to implement the recommendations of local and national child safeguarding practice reviews, and the improvements that followed.",
    ),
    ChecklistItem(
        "voice",
        "The voice of children and families",
        "How feedback from children and families was sought and used to shape the work and services.",
    ),
    ChecklistItem(
        "independent_scrutiny",
        "Independent scrutiny",
        "How the arrangements were independently scrutinised, what the scrutiny found and what was done about it.",
    ),
    ChecklistItem(
        "funding", "Funding", "The contributions each partner made to the arrangements, and any other income."
    ),
    ChecklistItem(
        "education_and_agencies",
        "Involvement of education and relevant agencies",
        "How schools, colleges, early years and other relevant agencies took part.",
    ),
    ChecklistItem(
        "data_and_information_sharing",
        "Use of data and information sharing",
        "How data and shared information informed the partnership's work.",
    ),
    ChecklistItem(
        "priorities_next_year",
        "Priorities for the coming year",
        "The partnership's priorities and plans for the next year.",
    ),
]

CHECKLIST_CODES = [item.code for item in CHECKLIST]
CHECKLIST_CHOICES = [(item.code, item.title) for item in CHECKLIST]
