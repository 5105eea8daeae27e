"""The starting template: the sections of a typical partnership report, laid out as the
reference report lays them out, each with the data blocks that belong in it.

A block the template names but no app has registered yet is left out, so a new report works
whatever has landed; once the app lands, its blocks are in the next report made from the
template (and `missing_template_blocks` lists what an existing draft could gain).
Patterns like "training.completions.*" take every registered block under that name.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatch


@dataclass(frozen=True)
class TemplateSection:
    heading: str
    blocks: tuple[str, ...] = ()
    covers: tuple[str, ...] = ()
    # The apps whose otherwise unplaced blocks land here (the first segment of a block name).
    apps: tuple[str, ...] = ()
    prompt: str = ""


TEMPLATE = [
    TemplateSection(
        "Introduction",
        covers=("what_partners_did", "effectiveness"),
        prompt="Welcome the reader: what the partnership set out to do this year, and what the report shows.",
    ),
    TemplateSection(
        "Children and young people in our area",
        prompt="The children, schools and settings of the area.",
    ),
    TemplateSection(
        "About the partnership",
        blocks=("governance.structure", "governance.attendance.by_group"),
        covers=("education_and_agencies",),
        apps=("governance",),
        prompt="How the partnership is structured: lead safeguarding partners, the executive, the business unit.",
    ),
    TemplateSection(
        "Safeguarding partnership subgroups",
        blocks=(
            "learning.cycles",
            "impact.evidence_chain",
            "policies.documents_updated",
            "performance.indicators",
            "performance.*",
            "policies.*",
        ),
        covers=("what_partners_did", "little_progress", "data_and_information_sharing", "voice"),
        apps=("performance", "policies"),
        prompt="What each subgroup did, the priority learning cycles, and what difference it made.",
    ),
    TemplateSection(
        "Learning and improvement work",
        blocks=(
            "learning.reviews",
            "actions.log.by_status",
            "assurance.self_assessment",
            "assurance.assurance_week",
            "learning.*",
            "actions.*",
        ),
        covers=("learning_from_reviews", "effectiveness"),
        apps=("learning", "actions", "assurance"),
        prompt="Learning from reviews, improvement work and assurance activity.",
    ),
    TemplateSection(
        "Use of restraint",
        blocks=("assurance.restraint",),
        covers=("effectiveness",),
        prompt="How the partnership monitors the use of restraint in secure settings.",
    ),
    TemplateSection(
        "Training",
        blocks=("training.completions.*", "training.evaluations.*", "training.*", "impact.manager_assurance"),
        covers=("impact_on_outcomes",),
        apps=("training",),
        prompt="The multi-agency training offer, completions and what practitioners said.",
    ),
    TemplateSection(
        "What's next for the partnership",
        covers=("priorities_next_year",),
        prompt="The priorities for the coming year and why.",
    ),
    TemplateSection(
        "Appendix",
        blocks=("governance.budget",),
        covers=("funding",),
        prompt="The partnership budget: the partners' financial contributions and other income.",
    ),
    TemplateSection(
        "Overview and assurance by the independent scrutineer",
        covers=("independent_scrutiny",),
        prompt="The independent scrutineer's view of the arrangements and this report.",
    ),
]


APPENDIX = next(index for index, section in enumerate(TEMPLATE) if section.heading == "Appendix")


def placement(registered: list[str]) -> list[list[str]]:
    """For each template section, the registered blocks it shows, each block in one section."""
    placed: set[str] = set()
    result: list[list[str]] = [[] for _ in TEMPLATE]
    # Exact names first, in the template's order; then patterns; then whatever an app owns.
    for exact in (True, False):
        for index, section in enumerate(TEMPLATE):
            for pattern in section.blocks:
                if ("*" in pattern) == exact:
                    continue
                for name in registered:
                    if name not in placed and (name == pattern if exact else fnmatch(name, pattern)):
                        result[index].append(name)
                        placed.add(name)
    for name in registered:
        if name in placed:
            continue
        for index, section in enumerate(TEMPLATE):
            if name.split(".")[0] in section.apps:
                result[index].append(name)
                placed.add(name)
                break
        else:  # an app the template does not know yet: its blocks go in the appendix
            result[APPENDIX].append(name)
            placed.add(name)
    return result


def block_lines(names: list[str]) -> str:
    return "\n\n".join(f"{{{{ block {name} }}}}" for name in names)


def template_sections(registered: list[str]) -> list[dict]:
    """The fields of each starting section, for the registered blocks."""
    sections = []
    for index, (section, names) in enumerate(zip(TEMPLATE, placement(registered)), start=1):
        body = section.prompt
        if names:
            body = f"{body}\n\n{block_lines(names)}"
        sections.append({"order": index * 10, "heading": section.heading, "body": body, "covers": list(section.covers)})
    return sections
