"""No page's query count grows with the rows it lists: each list is requested, five more rows
are added through the services users use, and the same page must take no more queries while
showing the new rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from jigsaw.core import services as core
from jigsaw.core.models import Sector, StatutoryRole
from jigsaw.core.scoping import Role


def queries(client, url) -> tuple[int, str]:
    from django.core.cache import cache

    cache.clear()  # what a page keeps until the next write (core.freshness) is computed, rows and all
    executed = []  # a wrapper, not Django's query log, which each request clears
    with connection.execute_wrapper(lambda execute, sql, *args: executed.append(sql) or execute(sql, *args)):
        response = client.get(url)
    assert response.status_code == 200, url
    return len(executed), response.content.decode()


def add_people(world, n):
    for i in range(n):
        core.person_create(
            actor=None,
            partnership=world.partnership,
            name=f"Listed Person {i}",
            email=f"listed{i}@durham.example",
            agency=world.police,
        )
    return "Listed Person 4"


def add_agencies(world, n):
    for i in range(n):
        core.agency_create(
            actor=None,
            partnership=world.partnership,
            name=f"Listed Agency {i}",
            sector=Sector.ADULT_HEALTH,
            statutory_role=StatutoryRole.RELEVANT_AGENCY,
        )
    return "Listed Agency 4"


def add_courses(world, n):
    from jigsaw.training import services

    for i in range(n):
        services.course_create(
            actor=None,
            partnership=world.partnership,
            title=f"Listed Course {i}",
            mode="elearning",
            runs_from=datetime.date(2024, 4, 1),
        )
    return "Listed Course 4"


def add_meetings(world, n):
    from jigsaw.governance import services
    from jigsaw.governance.models import Group

    group = Group.objects.filter(partnership=world.partnership).first()
    for i in range(n):
        services.meeting_create(
            actor=None,
            partnership=world.partnership,
            group=group,
            held_on=datetime.date(2024, 5, 1 + i),
            location=f"Listed Room {i}",
        )
    return "May 2024"


def add_sections(world, n):
    from jigsaw.reports import services

    report = _draft_report(world)
    for i in range(n):
        services.section_create(actor=None, report=report, heading=f"Listed Section {i}", order=900 + i, body="Words.")
    return "Listed Section 4"


def _draft_report(world):
    from jigsaw.reports import services
    from jigsaw.reports.models import Report

    report = Report.objects.filter(partnership=world.partnership).order_by("-year", "-version").first()
    return services.report_new_version(actor=None, report=report) if report.is_frozen else report


def add_actions(world, n):
    from jigsaw.actions import services

    for i in range(n):
        services.action_raise(
            actor=None,
            partnership=world.partnership,
            description=f"Listed Action {i} must change",
            owner_agency=world.police,
            raised_on=datetime.date(2025, 1, 6),
            due_on=datetime.date(2025, 6, 1),
        )
    return "Listed Action 4"


def add_observations(world, n, first=0):
    """Each observation's entry names an event, whose name reads its course: the trail must fetch
    the events with their courses, not a course per event."""
    from jigsaw.training import services

    observer = world.users[Role.BUSINESS_UNIT].person
    for i in range(first, first + n):
        course = services.course_create(
            actor=None,
            partnership=world.partnership,
            title=f"Observed Course {i}",
            mode="programme",
            runs_from=datetime.date(2024, 4, 1),
        )
        starts = datetime.datetime(2024, 6, 3 + i, 9, tzinfo=datetime.UTC)
        event = services.event_create(
            actor=None,
            partnership=world.partnership,
            course=course,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            capacity=20,
            venue="County Hall",
        )
        services.observation_create(
            actor=None,
            partnership=world.partnership,
            course=course,
            event=event,
            observer=observer,
            observed_on=starts.date(),
            content="good",
            delivery="good",
            multi_agency_messages="good",
        )
    return f"Observed Course {first + n - 1}"


PAGES = {
    "home": ("/durham/", add_agencies),  # its recent changes list the new agencies
    "people": ("/durham/people/", add_people),
    "agencies": ("/durham/agencies/", add_agencies),
    "courses": ("/durham/training/courses/", add_courses),
    "meetings": ("/durham/governance/meetings/", add_meetings),
    "audit trail": ("/durham/audit/", add_agencies),
    "report editor": (None, add_sections),
    "learning log, filtered": ("/durham/actions/?status=open", add_actions),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_a_list_takes_the_same_queries_with_more_rows(world, page):
    url, add = PAGES[page]
    url = url or _draft_report(world).get_absolute_url()
    client = world.client(Role.BUSINESS_UNIT)
    client.get(url)  # the first request fills per-process caches (content types, the navigation)
    before, _ = queries(client, url)
    shown = add(world, 5)
    after, content = queries(client, url)
    assert shown in content
    # Not more (the audit trail's first page may hold fewer kinds of record afterwards, so fewer).
    assert after <= before, f"{page}: {before} queries, then {after} with five more rows"


@pytest.mark.django_db
def test_the_audit_trail_names_records_read_through_relations_in_the_same_queries(world):
    """The page's first entries are of the same kinds before and after, so only the names grow."""
    client = world.client(Role.BUSINESS_UNIT)
    add_observations(world, 1)
    client.get("/durham/audit/")
    before, _ = queries(client, "/durham/audit/")
    shown = add_observations(world, 5, first=1)
    after, content = queries(client, "/durham/audit/")
    assert "Observed Course 5" in content and shown
    assert after <= before, f"{before} queries with one observed event, then {after} with six"
