"""Running a group jointly, as the business unit does it (the form), and the seats a partner
partnership holds on it: its people see the group's meetings, attendance and papers as members
do, and nothing else of the partnership the group belongs to."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from jigsaw.actions.services import action_raise
from jigsaw.core import boundary
from jigsaw.core import services as core_services
from jigsaw.core.audit import AuditEntry
from jigsaw.core.generic import PUBLIC
from jigsaw.core.models import Person
from jigsaw.core.scoping import Access, Role
from jigsaw.governance import services
from jigsaw.governance.models import (
    AgendaItem,
    Attendance,
    Decision,
    Group,
    Meeting,
    Membership,
    Paper,
)
from tests.core.test_boundary import _errors

D = datetime.date


def _date(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def _joint_url(world) -> str:
    return reverse("governance:group-joint", args=[world.partnership.slug, world.plg.pk])


# --- The form: run jointly, and end it ------------------------------------------------------------


def test_the_business_unit_runs_a_group_jointly_with_a_neighbour_and_ends_it(world):
    stranger = core_services.partnership_create(
        name="Cornwall Safeguarding Partnership", slug="cornwall", area="Cornwall"
    )
    client = world.client(Role.BUSINESS_UNIT)
    group_page = client.get(world.plg.get_absolute_url()).content.decode()
    assert _joint_url(world) in group_page  # 'Change' beside 'Run jointly with'
    form = client.get(_joint_url(world)).content.decode()
    # Offered: the partnership sharing an organisation with Durham (the police force serves both); not
    # every partnership on the site.
    assert world.other.name in form and stranger.name not in form
    refused = client.post(_joint_url(world), {"partners": [stranger.pk]})
    assert refused.status_code == 200
    assert _errors(refused) == [
        f"Choose from the partnerships sharing an organisation or a region with {world.partnership}."
    ]
    assert not world.plg.partners.exists()

    response = client.post(_joint_url(world), {"partners": [world.other.pk]}, follow=True)
    page = response.content.decode()
    assert f"{world.plg} is run jointly with {world.other}." in page
    assert world.other.name in page.split('id="run-jointly-with"')[1].split("</dd>")[0]
    assert list(world.plg.partners.all()) == [world.other]
    trail = AuditEntry.objects.restrict(Access.for_user(world.users[Role.BUSINESS_UNIT], world.partnership))
    assert trail.filter(object_pk=str(world.plg.pk), changes__icontains=world.other.name).exists()
    darlington = world.client("outsider")
    assert darlington.get(reverse("governance:group", args=[world.other.slug, world.plg.pk])).status_code == 200

    ended = client.post(_joint_url(world), {}, follow=True).content.decode()
    assert f"{world.plg} is no longer run jointly: {world.other} no longer see it." in ended
    assert not world.plg.partners.exists()
    assert trail.filter(object_pk=str(world.plg.pk)).count() >= 2
    assert darlington.get(reverse("governance:group", args=[world.other.slug, world.plg.pk])).status_code == 404


def test_the_service_refuses_a_partnership_sharing_nothing_and_writes_nothing(world):
    stranger = core_services.partnership_create(
        name="Cornwall Safeguarding Partnership", slug="cornwall", area="Cornwall"
    )
    with pytest.raises(ValidationError) as raised:
        services.group_run_jointly(actor=None, group=world.plg, partners=[world.other, stranger])
    assert raised.value.message_dict["partners"] == [
        f"{stranger} shares no organisation or region with {world.partnership}: a group is run jointly with a "
        "neighbouring partnership."
    ]
    assert not world.plg.partners.exists()


def test_only_the_business_unit_of_the_groups_partnership_changes_who_runs_it(world):
    services.group_run_jointly(actor=None, group=world.plg, partners=[world.other])
    assert world.client(Role.GROUP_CHAIR).get(_joint_url(world)).status_code == 403
    darlington = world.client("outsider")
    url = reverse("governance:group-joint", args=[world.other.slug, world.plg.pk])
    assert darlington.get(url).status_code == 403  # read there, never changed
    assert darlington.post(url, {}).status_code == 403
    assert list(world.plg.partners.all()) == [world.other]


# --- Seats of the partner partnership ------------------------------------------------------------


@pytest.fixture
def seated(world):
    """The PLG run jointly with the other partnership, whose business unit seats its group member on
    it through the page; the PLG's meeting has its paper and attendance."""
    other = world.populate_other()
    services.group_run_jointly(actor=None, group=world.plg, partners=[world.other])
    member = other.users[Role.MEMBER]
    url = reverse("governance:partner-seat-add", args=[world.other.slug, world.plg.pk])
    response = world.client("outsider").post(
        url, {"person": member.person.pk, "role": "member", **_date("starts_on", D(2024, 4, 1))}
    )
    assert response.status_code == 302, _errors(response)
    seat = Membership.objects.get(group=world.plg, person=member.person)
    client = Client()
    client.force_login(member)
    return other, member, seat, client


def test_the_partner_business_unit_seats_its_own_people_and_the_seat_is_its_record(world, seated):
    other, member, seat, _ = seated
    assert seat.partnership == world.other and seat.agency is None
    darlington = world.client("outsider")
    page = darlington.get(reverse("governance:group", args=[world.other.slug, world.plg.pk])).content.decode()
    assert f"Add a member from {world.other}" in page
    assert reverse("governance:membership-update", args=[world.other.slug, seat.pk]) in page  # its own seat
    assert reverse("governance:membership-update", args=[world.other.slug, world.seat.pk]) not in page  # Durham's
    assert (
        darlington.get(reverse("governance:membership-update", args=[world.other.slug, world.seat.pk])).status_code
        == 403
    )
    # The group's own partnership sees the seat, says whose it is, and cannot change it.
    durham = world.client(Role.BUSINESS_UNIT)
    group_page = durham.get(world.plg.get_absolute_url()).content.decode()
    assert member.person.name in group_page and world.other.name in group_page
    assert reverse("governance:membership-update", args=[world.partnership.slug, seat.pk]) not in group_page
    assert (
        durham.get(reverse("governance:membership-update", args=[world.partnership.slug, seat.pk])).status_code == 403
    )
    # On the partnership's own group the page is the ordinary 'Add a member'.
    own = darlington.get(reverse("governance:partner-seat-add", args=[world.other.slug, other.plg.pk]))
    assert own.status_code == 302 and own.url == reverse(
        "governance:membership-add", args=[world.other.slug, other.plg.pk]
    )


def test_the_partner_seat_holder_sees_the_meetings_attendance_papers_and_actions(world, seated):
    _, member, _, client = seated
    action = action_raise(
        actor=None,
        partnership=world.partnership,
        source=world.meeting,
        description="Map the exploitation hotspots with Darlington.",
        owner_agency=world.police,
        raised_on=world.meeting.held_on,
        due_on=D(2024, 12, 1),
    )
    # The register of the group's partnership names the partner's member, and its chair records them.
    durham = world.client(Role.BUSINESS_UNIT)
    register_url = reverse("governance:attendance-record", args=[world.partnership.slug, world.meeting.pk])
    assert member.person.name in durham.get(register_url).content.decode()
    durham.post(register_url, {f"status_{member.person.pk}": "present"})
    assert Attendance.objects.get(meeting=world.meeting, person=member.person).status == "present"

    meetings = client.get(reverse("governance:meetings", args=[world.other.slug])).content.decode()
    meeting_url = reverse("governance:meeting", args=[world.other.slug, world.meeting.pk])
    assert meeting_url in meetings
    page = client.get(meeting_url)
    assert page.status_code == 200
    text = page.content.decode()
    assert member.person.name in text and "Performance report" in text
    assert "Record attendance" not in text  # read-only there
    paper = Paper.objects.get(meeting=world.meeting)
    assert client.get(reverse("governance:paper", args=[world.other.slug, paper.pk])).status_code == 200
    group = client.get(reverse("governance:group", args=[world.other.slug, world.plg.pk])).content.decode()
    assert meeting_url in group
    # The actions raised at the meeting: listed there, opened in their own partnership's view, read-only.
    action_url = reverse("actions:detail", args=[world.other.slug, action.pk])
    assert "Map the exploitation hotspots" in text and action_url in text
    assert "Raise an action" not in text
    detail = client.get(action_url)
    assert detail.status_code == 200 and "Map the exploitation hotspots" in detail.content.decode()
    assert client.get(reverse("actions:update", args=[world.other.slug, action.pk])).status_code in (403, 404)
    # An action of the group's partnership raised anywhere else stays not found.
    elsewhere = action_raise(actor=None, partnership=world.partnership, description="Durham's own.")
    assert client.get(reverse("actions:detail", args=[world.other.slug, elsewhere.pk])).status_code == 404


def _shared_in(world, access) -> dict[type, set[int]]:
    """What the rules let a seat holder of the other partnership find of this one: the joint group,
    its seats, its meetings and their parts."""
    from jigsaw.actions.models import ActionEvent, AssuranceReview, EvidenceFile, LearningAction

    meetings = set(Meeting.objects.filter(group=world.plg).values_list("pk", flat=True))
    actions = set(LearningAction.objects.filter(raised_at_meeting__in=meetings).values_list("pk", flat=True))
    return {
        LearningAction: actions,
        ActionEvent: set(ActionEvent.objects.filter(action__in=actions).values_list("pk", flat=True)),
        EvidenceFile: set(EvidenceFile.objects.filter(action__in=actions).values_list("pk", flat=True)),
        AssuranceReview: set(AssuranceReview.objects.filter(action__in=actions).values_list("pk", flat=True)),
        Group: {world.plg.pk},
        Membership: set(Membership.objects.filter(group=world.plg).values_list("pk", flat=True)),
        Meeting: meetings,
        AgendaItem: set(AgendaItem.objects.filter(meeting__in=meetings).values_list("pk", flat=True)),
        Decision: set(Decision.objects.filter(meeting__in=meetings).values_list("pk", flat=True)),
        Paper: set(Paper.objects.filter(meeting__in=meetings).values_list("pk", flat=True)),
        Attendance: set(Attendance.objects.filter(meeting__in=meetings).values_list("pk", flat=True)),
    }


def test_the_seat_holder_finds_nothing_else_of_the_groups_partnership(world, seated):
    """Every record of the group's partnership, through the scoping helper, and every page and API
    object of it requested under the seat holder's partnership: not found, but the joint group's."""
    from tests.core.test_permission_matrix import ROUTES, _kwargs, _pk_routes, _post_only, _with_slug

    _, member, _, client = seated
    access = Access.for_user(member, world.other)
    allowed = _shared_in(world, access)
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("jigsaw.") or not hasattr(model, "scope_rule"):
            continue
        path = getattr(model, "partnership_path", "partnership")
        if not path:
            continue
        ours = {"pk": world.partnership.pk} if path == "pk" else {path: world.partnership}
        seen = set(model.objects.restrict(access).filter(**ours).values_list("pk", flat=True))
        if seen - allowed.get(model, set()):
            found.append(f"{model.__name__}: {sorted(seen - allowed.get(model, set()))}")
    assert not found, found
    assert allowed[Meeting] and allowed[Paper] and allowed[Attendance]

    wrong, checked = [], 0
    for name in _pk_routes():
        route = ROUTES[name]
        view = route.view_class
        model = getattr(view, "model", None) or view.serializer_class.Meta.model
        path = getattr(model, "partnership_path", "partnership")
        for record in model._base_manager.filter(**{path: world.partnership}).order_by("pk")[:3]:
            kwargs = _with_slug(_kwargs(route, world, record), world.other.slug)
            url = reverse(name, kwargs=kwargs)
            response = client.post(url) if _post_only(view) else client.get(url)
            if record.pk in allowed.get(model, set()):
                if response.status_code >= 500:
                    wrong.append(f"{url}: {response.status_code}")
            else:
                due = {404}
                roles = getattr(view, "roles", PUBLIC)
                if not route.is_api and roles != PUBLIC and not access.has_role(*roles):
                    due = {403}  # the page is closed to a member whatever the record
                if response.status_code not in due:
                    wrong.append(f"{url}: {response.status_code}, expected {sorted(due)}")
            checked += 1
    assert not wrong, "\n".join(wrong)
    assert checked > 100


def test_the_boundary_lets_in_exactly_the_joint_seat(world, seated):
    other, member, _, _ = seated
    darlington_person = member.person
    # A seat of the other partnership on a group that is not run jointly with it.
    with pytest.raises(ValidationError) as raised:
        services.membership_add(
            actor=None,
            partnership=world.other,
            group=world.executive,
            person=darlington_person,
            starts_on=D(2024, 4, 1),
        )
    assert raised.value.message_dict == {"group": [boundary.not_ours(Group)]}
    # The group's own partnership cannot seat the other's person: each seats its own.
    with pytest.raises(ValidationError) as raised:
        services.membership_add(
            actor=None,
            partnership=world.partnership,
            group=world.plg,
            person=darlington_person,
            starts_on=D(2024, 4, 1),
        )
    assert raised.value.message_dict == {"person": [boundary.not_ours(Person)]}
    # The register names only those the other partnership seats on the group.
    unseated = other.users[Role.GROUP_CHAIR].person
    with pytest.raises(ValidationError) as raised:
        services.attendance_record(actor=None, meeting=world.meeting, person=unseated, status="present")
    assert raised.value.message_dict["person"] == [boundary.not_ours(Person)]
    executive_meeting = services.meeting_create(
        actor=None, partnership=world.partnership, group=world.executive, held_on=D(2024, 7, 1)
    )
    with pytest.raises(ValidationError) as raised:
        services.attendance_record(actor=None, meeting=executive_meeting, person=darlington_person, status="present")
    assert raised.value.message_dict["person"] == [boundary.not_ours(Person)]
    # The page answers another partnership's person and a missing one the same.
    url = reverse("governance:partner-seat-add", args=[world.other.slug, world.plg.pk])
    darlington = world.client("outsider")
    answers = [
        _errors(darlington.post(url, {"person": pk, "role": "member", **_date("starts_on", D(2024, 4, 1))}))
        for pk in (world.users[Role.MEMBER].person.pk, 987_654)
    ]
    assert answers[0] == answers[1] == [boundary.not_ours(Person)]
    # Read in the partner partnership, the joint group is never offered as one of its own: a meeting
    # of it is added where it is kept, and its id meets the one answer.
    meeting_url = reverse("governance:meeting-create", args=[world.other.slug])
    assert f'value="{world.plg.pk}"' not in darlington.get(meeting_url).content.decode()
    answers = [
        _errors(darlington.post(meeting_url, {"group": pk, **_date("held_on", D(2024, 9, 1))}))
        for pk in (world.plg.pk, 987_654)
    ]
    assert answers[0] == answers[1] == [boundary.not_ours(Group)]


def test_ending_the_joint_running_ends_the_partners_seats_and_closes_the_meetings(world, seated):
    _, member, seat, client = seated
    meeting_url = reverse("governance:meeting", args=[world.other.slug, world.meeting.pk])
    assert client.get(meeting_url).status_code == 200
    services.group_run_jointly(actor=world.users[Role.BUSINESS_UNIT], group=world.plg, partners=[])
    seat.refresh_from_db()
    assert seat.ends_on == datetime.date.today() - datetime.timedelta(days=1)
    assert client.get(meeting_url).status_code == 404
    assert (
        world.client("outsider").get(reverse("governance:group", args=[world.other.slug, world.plg.pk])).status_code
        == 404
    )
    # The group's own partnership keeps the seat's history.
    assert member.person.name in world.client(Role.BUSINESS_UNIT).get(world.plg.get_absolute_url()).content.decode()


def test_a_write_on_either_side_of_a_joint_group_refreshes_the_others_kept_figures(world, seated):
    """What a partner keeps (its home's work queue, its figures) may read the host's meetings, and
    what the host keeps the partner's seats: a write on either side is seen on the next request."""
    from jigsaw.core import freshness

    def rooms():
        return sorted(Meeting.objects.filter(group__partners=world.other).values_list("location", flat=True))

    def seats():
        return Membership.objects.filter(group=world.plg).count()

    assert "Room 101" not in freshness.remembered(world.other, {"rooms": rooms})["rooms"]
    kept_seats = freshness.remembered(world.partnership, {"seats": seats})["seats"]
    services.meeting_update(actor=None, meeting=world.meeting, location="Room 101")
    assert "Room 101" in freshness.remembered(world.other, {"rooms": rooms})["rooms"]
    other, *_ = seated
    services.membership_add(
        actor=None,
        partnership=world.other,
        group=world.plg,
        person=other.users[Role.GROUP_CHAIR].person,
        starts_on=D(2025, 4, 1),
    )
    assert freshness.remembered(world.partnership, {"seats": seats})["seats"] == kept_seats + 1


def test_each_partnership_reads_who_it_runs_the_group_with_from_its_own_side(world, seated):
    """The structure chart and the group page say the same, seen from where the reader is."""
    structure = reverse("governance:structure", args=[world.other.slug])
    text = world.client("outsider").get(structure).content.decode()
    assert f"Run jointly with {world.partnership.name} (where it is kept)" in text
    assert f"Run jointly with {world.other.name}" not in text
    host = world.client(Role.BUSINESS_UNIT).get(reverse("governance:structure", args=[world.partnership.slug]))
    assert f"Run jointly with {world.other.name}" in host.content.decode()
