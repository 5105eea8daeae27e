"""How strong the evidence is that an outcome is happening: the rules the evidence matrix rates by.

Pure functions of what each linked record shows (a Signal), so the rules are tested with made-up
chains at every level and used the same way by the chain page and the annual report's block.

- none: nothing linked shows anything in the year;
- activity only: something was done (actions raised, training delivered, findings reported) but
  nothing measures whether practice or children's lives changed;
- outcome measured: at least one measure of the outcome has a reading, but none shows it
  improving, or one shows it getting worse;
- outcome improving: a measure shows improvement and none shows it getting worse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Strength(str, Enum):
    NONE = "none"
    ACTIVITY = "activity"
    MEASURED = "measured"
    IMPROVING = "improving"

    @property
    def label(self) -> str:
        return {
            "none": "None",
            "activity": "Activity only",
            "measured": "Outcome measured",
            "improving": "Outcome improving",
        }[self.value]

    @property
    def tag_colour(self) -> str:
        return {"none": "red", "activity": "orange", "measured": "blue", "improving": "green"}[self.value]

    @property
    def rank(self) -> int:
        return list(Strength).index(self)


class Movement(str, Enum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    UNKNOWN = "unknown"  # no comparison, or neither direction is better


@dataclass
class Signal:
    """What one linked record shows for the year."""

    label: str
    activity: bool = False  # something was done
    measured: bool = False  # the outcome has a reading
    movement: Movement = Movement.UNKNOWN
    findings: list[str] = field(default_factory=list)  # what it shows, in words with its figures
    gaps: list[str] = field(default_factory=list)  # what is missing from it
    url: str = ""


@dataclass
class Rating:
    strength: Strength
    gaps: list[str]


def rate(signals: list[Signal]) -> Rating:
    """The outcome's strength of evidence, and its gaps: each signal's own, then what the
    outcome as a whole lacks to reach the next level."""
    gaps = [gap for signal in signals for gap in signal.gaps]
    if not signals:
        return Rating(Strength.NONE, ["No evidence is linked to this outcome."])
    measured = [s for s in signals if s.measured]
    worsening = [s for s in measured if s.movement == Movement.WORSENING]
    improving = [s for s in measured if s.movement == Movement.IMPROVING]
    if improving and not worsening:
        return Rating(Strength.IMPROVING, gaps)
    if measured:
        if worsening:
            gaps.append("Getting worse: " + "; ".join(s.label for s in worsening) + ".")
        else:
            gaps.append("Measured, but no measure shows the outcome improving yet.")
        return Rating(Strength.MEASURED, gaps)
    if any(s.activity for s in signals):
        gaps.append("Only activity: nothing yet measures whether practice or children's lives changed.")
        return Rating(Strength.ACTIVITY, gaps)
    gaps.append("Nothing linked shows anything in the year.")
    return Rating(Strength.NONE, gaps)


def weakest(strengths: list[Strength]) -> Strength:
    """A priority is as strong as its weakest outcome: the executive challenges the gap."""
    return min(strengths, key=lambda s: s.rank) if strengths else Strength.NONE
