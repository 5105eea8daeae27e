"""The courses page counts each course's completions (a course with none shows 0)."""

from __future__ import annotations

import re

import pytest

from jigsaw.core.scoping import Role
from jigsaw.training.models import Completion, Course


@pytest.mark.django_db
def test_each_course_shows_its_own_completions(world):
    page = world.client(Role.BUSINESS_UNIT).get("/durham/training/courses/").content.decode()
    rows = re.findall(r'<a class="govuk-link" href="[^"]+">([^<]+)</a></td>.*?numeric">([\d,]+)</td>', page, re.S)
    assert rows
    shown = {title: int(count.replace(",", "")) for title, count in rows}
    for course in Course._base_manager.filter(partnership=world.partnership, title__in=shown):
        assert shown[course.title] == Completion._base_manager.filter(course=course).count(), course.title
    assert 0 in shown.values() or all(Completion._base_manager.filter(course__title=t).exists() for t in shown)
