"""The partnership boundary, declared once on each model and enforced by the save service; every
related-record choice on a page or through the API scoped, with one answer for another
partnership's id and a missing one (not found is not found)."""

from __future__ import annotations

import copy
import datetime
import html
import importlib
import re

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from rest_framework import serializers

from jigsaw.assurance import services as assurance
from jigsaw.core import boundary, services
from jigsaw.core.forms import PartnershipFormBase
from jigsaw.core.models import Person, Theme
from jigsaw.core.related import ScopedRelatedField, ScopedSlugRelatedField
from jigsaw.core.scoping import Access, Role
from jigsaw.governance import services as governance
from jigsaw.learning import services as learning
from jigsaw.learning.models import CaseReview
from jigsaw.policies import services as policies
from jigsaw.training.models import Completion, Course, Learner, OrganisationCategory

MISSING = 987_654


def _owner_hop(model) -> str | None:
    """The relation that makes a record its partnership's (None: the model belongs to none)."""
    path = getattr(model, "partnership_path", "partnership")
    if not path or path == "pk":
        return None
    first = path.split("__")[0]
    return first if any(f.name == first for f in model._meta.get_fields()) else None


def _jigsaw_models():
    return [model for model in apps.get_models() if model.__module__.startswith("jigsaw.")]


def _forward_relations(model):
    return [
        f
        for f in model._meta.get_fields()
        if isinstance(f, (models.ForeignKey, models.ManyToManyField)) and not f.auto_created
    ]


def test_every_relation_to_another_partnership_record_is_declared():
    """A new foreign key to a partnership's record that nobody declares fails here, so the save
    service checks it without anyone remembering to."""
    undeclared, unknown = [], []
    for model in _jigsaw_models():
        hop = _owner_hop(model)
        if hop is None:
            continue
        declared = set(boundary.declared(model)) | set(boundary.crossing(model))
        relations = {f.name: f for f in _forward_relations(model)}
        unknown += [f"{model.__name__}.{name}" for name in declared if name not in relations]
        for name, field in relations.items():
            if name != hop and name != "partnership" and _owner_hop(field.related_model) and name not in declared:
                undeclared.append(f"{model.__name__}.{name}")
    assert not undeclared, f"declare these in same_partnership: {undeclared}"
    assert not unknown, f"same_partnership names fields that are not relations: {unknown}"


@pytest.mark.django_db
def test_the_save_service_refuses_another_partnerships_record_naming_the_field(world):
    with pytest.raises(ValidationError) as raised:
        services.person_create(
            actor=None, partnership=world.partnership, name="Wrong Agency", agency=world.other_agency
        )
    assert raised.value.message_dict == {"agency": ["Choose from this partnership's agencies."]}
    assert not Person.objects.filter(name="Wrong Agency").exists()


@pytest.mark.django_db
def test_many_to_many_values_of_another_partnership_are_refused_and_nothing_is_saved(world):
    foreign_theme = services.theme_create(actor=None, partnership=world.other, name="Neglect")
    ours = services.theme_create(actor=None, partnership=world.partnership, name="Neglect")
    review = world.review
    themes_before = list(review.themes.all())  # the World's review has a theme already
    with pytest.raises(ValidationError) as raised:
        learning.review_update(actor=None, review=review, summary="Changed", themes=[ours, foreign_theme])
    assert raised.value.message_dict == {"themes": ["Choose from this partnership's themes."]}
    review = CaseReview.objects.get(pk=review.pk)
    assert review.summary != "Changed" and list(review.themes.all()) == themes_before


# --- Every form and every API write: the same answer for a foreign id and a missing one -------


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _all_forms():
    for config in apps.get_app_configs():
        if config.name.startswith("jigsaw."):
            try:
                importlib.import_module(f"{config.name}.forms")
            except ModuleNotFoundError:
                pass
    return sorted(
        {
            form
            for form in _subclasses(PartnershipFormBase)
            if form.__module__.startswith("jigsaw.")
            and form.__name__ not in ("PartnershipForm", "PartnershipModelForm")
        },
        key=lambda form: form.__qualname__,
    )


def _foreign(model, world, offered):
    """A record of `model` that is not on offer: the other partnership's (made from one of this
    partnership's when the World has none there)."""
    found = model._base_manager.exclude(pk__in=offered.values("pk")).first()
    if found is not None or _owner_hop(model) != "partnership":
        return found
    original = model._base_manager.filter(partnership=world.partnership).first()
    if original is None:
        return None
    copy = model._base_manager.get(pk=original.pk)
    copy.pk = copy.id = None
    copy.partnership = world.other
    for field in model._meta.concrete_fields:
        if field.unique and not field.primary_key and field.has_default() and callable(field.default):
            setattr(copy, field.attname, field.default())
    try:
        with transaction.atomic():
            model._base_manager.bulk_create([copy])
    except IntegrityError:
        return None
    return model._base_manager.filter(partnership=world.other).first()


def _business_unit(world) -> Access:
    """The business unit's access, with the other partnership given the records the World
    makes only in this one (a plan and its priority and golden thread, a theme, a group, a section 11 tool)."""
    plan = governance.plan_create(
        actor=None,
        partnership=world.other,
        title="Darlington plan",
        starts_on=datetime.date(2024, 4, 1),
        ends_on=datetime.date(2026, 3, 31),
    )
    governance.priority_add(actor=None, plan=plan, number=1, title="Neglect")
    governance.golden_thread_add(actor=None, plan=plan, title="Voice of the child")
    governance.group_create(actor=None, partnership=world.other, name="Darlington executive", kind="executive")
    services.theme_create(actor=None, partnership=world.other, name="Neglect")
    # A section 11 tool of its own (the impact framework's evidence names its sections and questions).
    tool = assurance.framework_create(actor=None, partnership=world.other, name="Darlington self-assessment")
    section = assurance.section_add(actor=None, framework=tool, title="Leadership")
    assurance.question_add(actor=None, section=section, text="Safeguarding responsibilities are clear.")
    course = Course._base_manager.create(
        partnership=world.other, title="Darlington awareness", mode="elearning", runs_from=datetime.date(2024, 4, 1)
    )
    category = OrganisationCategory._base_manager.create(partnership=world.other, sector="police", name="Police")
    learner = Learner._base_manager.create(partnership=world.other, key="darlington-learner", name="Dee")
    Completion._base_manager.create(
        partnership=world.other,
        learner=learner,
        course=course,
        category=category,
        completed_on=datetime.date(2024, 5, 1),
    )
    return Access.for_user(world.users[Role.BUSINESS_UNIT], world.partnership)


@pytest.mark.django_db
def test_every_form_answers_a_foreign_and_a_missing_record_the_same(world):
    access = _business_unit(world)
    checked, uncovered = [], []
    for form_class in _all_forms():
        probe = form_class(partnership=world.partnership, access=access)
        for name, field in probe.fields.items():
            if not hasattr(field, "queryset"):
                continue
            model = field.queryset.model
            if getattr(model, "partnership_path", "partnership") is None:
                continue  # an identity of no partnership (an organisation serving several): nothing foreign
            foreign = _foreign(model, world, field.queryset)
            if foreign is None:
                uncovered.append(f"{form_class.__qualname__}.{name}")
                continue
            answers = []
            for pk in (foreign.pk, MISSING):
                value = [pk] if isinstance(field, forms.ModelMultipleChoiceField) else pk
                form = form_class({name: value}, partnership=world.partnership, access=access)
                form.is_valid()
                answers.append(form.errors.get(name))
            assert answers[0] == answers[1] == [boundary.not_ours(model)], (
                f"{form_class.__qualname__}.{name}: {answers}"
            )
            checked.append(f"{form_class.__qualname__}.{name}")
    assert len(checked) >= 40, checked
    assert not uncovered, f"no record outside the choices to try: {uncovered}"


def _api_serializers():
    from jigsaw.urls import router

    return sorted(
        {viewset.serializer_class for _, viewset, _ in router.registry if getattr(viewset, "serializer_class", None)},
        key=lambda s: s.__qualname__,
    )


def _related(field):
    child = getattr(field, "child_relation", None)
    return child or field


@pytest.mark.django_db
def test_every_api_write_answers_a_foreign_and_a_missing_record_the_same(world):
    access = _business_unit(world)
    context = {"access": access, "partnership": world.partnership, "request": None, "view": None}
    checked, unscoped = [], []
    for serializer_class in _api_serializers():
        for name, field in serializer_class(context=context).fields.items():
            related = _related(field)
            if field.read_only or not isinstance(related, serializers.RelatedField):
                continue
            if not isinstance(related, (ScopedRelatedField, ScopedSlugRelatedField)):
                unscoped.append(f"{serializer_class.__qualname__}.{name}")
                continue
            model = related.queryset.model
            foreign = _foreign(model, world, _offered(related, context))
            assert foreign is not None, f"{serializer_class.__qualname__}.{name}: no record outside the choices"
            if isinstance(related, ScopedSlugRelatedField):  # a code of the other partnership's only
                model._base_manager.filter(pk=foreign.pk).update(**{related.slug_field: "DARL-ONLY"})
                foreign.refresh_from_db()
            key = (
                (lambda record, related=related: getattr(record, related.slug_field))
                if isinstance(related, ScopedSlugRelatedField)
                else (lambda record: record.pk)
            )
            answers = []
            for value in (key(foreign), "NO-SUCH" if isinstance(related, ScopedSlugRelatedField) else MISSING):
                serializer = serializer_class(
                    data={name: [value] if related is not field else value}, context=context, partial=True
                )
                serializer.is_valid()
                answers.append(serializer.errors.get(name))
            assert answers[0] == answers[1] and answers[0], f"{serializer_class.__qualname__}.{name}: {answers}"
            assert boundary.not_ours(model) in str(answers[0])
            checked.append(f"{serializer_class.__qualname__}.{name}")
    assert not unscoped, f"related fields not built through the scoping helper: {unscoped}"
    assert len(checked) >= 15, checked


def _offered(related, context):
    bound = copy.deepcopy(related)
    bound.bind("probe", serializers.Serializer(context=context))
    return bound.get_queryset()


# --- The same through the pages and the API, and nothing is saved ------------------------------


def _errors(response) -> list[str]:
    return [
        html.unescape(re.sub(r"<[^>]+>", "", text)).replace("Error:", "").strip()
        for text in re.findall(r'class="govuk-error-message"[^>]*>(.*?)</p>', response.content.decode(), re.S)
    ]


@pytest.mark.django_db
def test_a_page_answers_a_foreign_and_a_missing_agency_the_same_and_saves_nothing(world):
    client = world.client(Role.BUSINESS_UNIT)
    url = reverse("core:person-create", args=["durham"])
    foreign = client.post(url, {"name": "Wrong Agency", "agency": world.other_agency.pk})
    missing = client.post(url, {"name": "Wrong Agency", "agency": MISSING})
    assert foreign.status_code == missing.status_code == 200
    assert _errors(foreign) == _errors(missing) == ["Choose from this partnership's agencies."]
    assert "Darlington" not in foreign.content.decode()
    assert not Person.objects.filter(name="Wrong Agency").exists()


@pytest.mark.django_db
def test_a_referral_answers_a_foreign_and_a_missing_theme_the_same_and_saves_nothing(world):
    foreign_theme = services.theme_create(actor=None, partnership=world.other, name="Neglect")
    client = world.client(Role.BUSINESS_UNIT)
    url = reverse("learning:review-refer", args=["durham"])
    data = {
        "reference": "DSCP-2025-09",
        "pseudonym": "Ben",
        "age_at_incident": 7,
        "incident": "death",
        "aware_on_day": 3,
        "aware_on_month": 2,
        "aware_on_year": 2025,
        "referring_agency": world.council.pk,
    }
    foreign = client.post(url, {**data, "themes": [foreign_theme.pk]})
    missing = client.post(url, {**data, "themes": [MISSING]})
    assert _errors(foreign) == _errors(missing) == ["Choose from this partnership's themes."]
    assert not CaseReview.objects.filter(reference="DSCP-2025-09").exists()


@pytest.mark.django_db
def test_a_procedure_trigger_answers_a_foreign_and_a_missing_record_the_same(world):
    foreign_review = CaseReview._base_manager.create(
        partnership=world.other,
        reference="DARL-1",
        pseudonym="Cal",
        age_at_incident=4,
        incident="death",
        aware_on=datetime.date(2024, 1, 5),
        referring_agency=world.other_agency,
    )
    bu = world.users[Role.BUSINESS_UNIT]
    document = policies.document_create(
        actor=bu, partnership=world.partnership, title="Missing children", kind="procedure"
    )
    version = policies.version_create(
        actor=bu, document=document, body="Text.", effective_on=datetime.date.today(), what_changed="New."
    )
    client = world.client(Role.BUSINESS_UNIT)
    url = reverse("policies:trigger-create", args=["durham", version.pk])
    foreign = client.post(url, {"record_type": "learning.casereview", "record_id": foreign_review.pk})
    missing = client.post(url, {"record_type": "learning.casereview", "record_id": MISSING})
    assert _errors(foreign) == _errors(missing) == ["Choose from this partnership's case reviews."]
    assert not version.triggers.exists()


@pytest.mark.django_db
def test_the_api_answers_a_foreign_and_a_missing_agency_the_same_and_saves_nothing(world):
    client = world.client(Role.BUSINESS_UNIT)
    url = reverse("api:person-list", kwargs={"partnership_slug": "durham"})
    foreign = client.post(
        url, {"name": "Wrong Agency", "agency": world.other_agency.pk}, content_type="application/json"
    )
    missing = client.post(url, {"name": "Wrong Agency", "agency": MISSING}, content_type="application/json")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json() == {"agency": ["Choose from this partnership's agencies."]}
    assert not Person.objects.filter(name="Wrong Agency").exists()


@pytest.mark.django_db
def test_the_api_answers_a_foreign_and_a_missing_theme_the_same_and_saves_nothing(world):
    foreign_theme = services.theme_create(actor=None, partnership=world.other, name="Neglect")
    client = world.client(Role.BUSINESS_UNIT)
    url = reverse("api:case-review-list", kwargs={"partnership_slug": "durham"})
    data = {
        "reference": "DSCP-2025-10",
        "pseudonym": "Ben",
        "age_at_incident": 7,
        "incident": "death",
        "aware_on": "2025-02-03",
        "referring_agency": world.council.pk,
    }
    foreign = client.post(url, {**data, "themes": [foreign_theme.pk]}, content_type="application/json")
    missing = client.post(url, {**data, "themes": [MISSING]}, content_type="application/json")
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == missing.json() == {"themes": ["Choose from this partnership's themes."]}
    assert not CaseReview.objects.filter(reference="DSCP-2025-10").exists()


# --- Change pages of records with themes (the form base must not bring the 500 back) ----------


CHANGE_PAGES = [
    ("learning:review-update", "review"),
    ("learning:cycle-update", "cycle"),
    ("learning:horizon-update", "horizon_item"),
    ("learning:briefing-update", "briefing"),
    ("training:course-update", "course"),
    ("actions:update", "action"),
    ("assurance:audit-update", "audit"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name, record", CHANGE_PAGES)
def test_the_change_page_of_a_record_with_themes_opens_and_keeps_a_retired_theme(world, url_name, record):
    target = getattr(world, record)
    retired = services.theme_create(actor=None, partnership=world.partnership, name="Exploitation")
    target.themes.set([world.theme, retired])
    services.theme_update(actor=None, theme=retired, is_active=False)
    hidden = services.theme_create(actor=None, partnership=world.partnership, name="Retired and unused")
    services.theme_update(actor=None, theme=hidden, is_active=False)
    response = world.client(Role.BUSINESS_UNIT).get(reverse(url_name, args=["durham", target.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    for theme in (world.theme, retired):
        assert re.search(
            rf'value="{theme.pk}"[^>]*checked|checked[^>]*value="{theme.pk}"|value="{theme.pk}"[^>]*selected', page
        ), theme
    assert "Retired and unused" not in page  # a retired theme is offered only where a record holds it
    assert Theme.objects.filter(pk=retired.pk, is_active=False).exists()
