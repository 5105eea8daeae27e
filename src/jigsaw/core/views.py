"""Pages for partnerships, agencies, people and the audit trail: declarations over generic.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import generic

from . import checklist, freshness, queries, services, uploads, work
from .audit import AuditEntry, with_related_names
from .forms import (
    AgencyFilterForm,
    AgencyForm,
    AuditFilterForm,
    GrantAccessForm,
    PartnershipSettingsForm,
    PersonFilterForm,
    PersonForm,
    ThemeForm,
)
from .generic import (
    PUBLIC,
    PartnershipPage,
    ScopedActionView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ScopedUpdateView,
    ServiceFormMixin,
    SignedInView,
)
from .models import Agency, Partnership, Person, RoleAssignment, Theme
from .scoping import PARTNERS, Action, Role

AUDITORS = frozenset({Role.BUSINESS_UNIT, Role.SCRUTINEER})
# The partnership's entries in the order its index keeps them (partnership, newest first).
NEWEST_FIRST = ("-partnership_index__timestamp", "-pk")
BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})


class Home(SignedInView):
    """Signed-in users land in their partnership; with several, they choose one."""

    template_name = "core/choose_partnership.html"
    page_title = "Your partnerships"

    def dispatch(self, request, *args, **kwargs):
        # The public arrive at the partnership's public site (the only one, or a choice of them).
        if not request.user.is_authenticated:
            partnerships = list(Partnership.objects.all()[:2])
            if len(partnerships) == 1:
                return redirect("policies:public-home", partnerships[0].slug)
            if not partnerships:
                return redirect("core:login")
            self.public_sites = Partnership.objects.all()
            return render(
                request,
                "core/public_sites.html",
                {"public_sites": self.public_sites, "page_title": "Safeguarding children partnerships"},
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.partnerships = list(Partnership.objects.restrict(request.access))
        if len(self.partnerships) == 1:
            return redirect("core:partnership", self.partnerships[0].slug)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "partnerships": self.partnerships}


class PartnershipHome(PartnershipPage):
    template_name = "core/partnership.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated and Partnership.objects.filter(slug=kwargs["partnership"]).exists():
            return redirect("policies:public-home", kwargs["partnership"])  # the public's home is the public site
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.partnership.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Computed again only after a write to the records each one reads (core.freshness), so a
        # count here stays the linked page's own count; keyed by whatever else decides it: the
        # viewer's scope (user, person, roles, agencies) and the day ("overdue", "due soon").
        access, today = self.access, timezone.localdate()
        viewer = ":".join(
            str(part)
            for part in (
                self.partnership.pk,
                access.user.pk,
                access.user.person_id,
                ",".join(sorted(access.roles)),
                ",".join(map(str, sorted(access.agency_ids))),
                today.isoformat(),
            )
        )
        home = freshness.remembered(
            self.partnership,
            {
                f"home:work:{viewer}": lambda: work.queue_for(access, today),
                f"home:checklist:{viewer}": lambda: checklist.for_home(access),
                f"home:summary:{viewer}": lambda: queries.partnership_summary(access),
            },
        )
        context["work"] = home[f"home:work:{viewer}"]
        context["checklist"] = home[f"home:checklist:{viewer}"]
        context["summary"] = home[f"home:summary:{viewer}"]
        context["my_roles"] = (
            RoleAssignment.objects.restrict(self.access).filter(user=self.request.user).select_related("agency")
        )
        if self.access.has_role(*AUDITORS):
            context["recent_changes"] = (
                AuditEntry.objects.restrict(self.access)
                .order_by(*NEWEST_FIRST)
                .select_related("actor", "content_type")[:8]
            )
        return context


class PartnershipSettings(ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    model = Partnership
    roles = BUSINESS_UNIT
    action = Action.CHANGE
    form_class = PartnershipSettingsForm
    page_title = "Partnership settings"
    success_message = "Settings saved."

    def get_object(self, queryset=None):
        return self.partnership

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.partnership}

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Settings", None)]

    def perform(self, form):
        from django.core.exceptions import ValidationError

        from .oidc import session_provider

        data = form.cleaned_data
        if data.get("allow_password_sign_in") is False and session_provider(self.request) not in data.get(
            "sign_in_providers", []
        ):
            # Whoever switches passwords off has shown that a way in remains: they came in by it.
            raise ValidationError(
                {
                    "allow_password_sign_in": "Sign in with one of the organisations' accounts ticked here before "
                    "switching passwords off, so you know it works for your partnership."
                }
            )
        return services.partnership_update(actor=self.request.user, partnership=self.partnership, **data)

    def get_success_url(self):
        return self.partnership_url("core:settings")


class PartnershipLogo(ScopedObjectMixin, generic.View):
    """The logo in every page's header, public like the site it heads. Only a PNG or JPEG that
    passed the upload policy is stored, and it is served as that image type, never sniffed."""

    model = Partnership
    roles = PUBLIC

    def get(self, request, *args, **kwargs):
        logo = self.partnership.logo
        if not logo:
            raise Http404("This partnership has no logo.")
        kind = uploads.PARTNERSHIP_LOGO.kind_of(logo.name)
        response = FileResponse(logo.open("rb"), content_type=kind.content_type)
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "public, max-age=3600"
        return response


class AgencyList(ScopedListView):
    model = Agency
    roles = PARTNERS  # the partners' directory; docs/access.md
    template_name = "core/agency_list.html"
    filter_form_class = AgencyFilterForm
    page_title = "Agencies"

    def get_queryset(self):
        return queries.with_people_counts(super().get_queryset())

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Agencies", None)]


class AgencyDetail(ScopedDetailView):
    model = Agency
    roles = PARTNERS
    template_name = "core/agency_detail.html"

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Agencies", self.partnership_url("core:agencies")), (str(self.object), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people"] = Person.objects.restrict(self.access).filter(agency=self.object)
        return context


class AgencyCreate(ScopedCreateView):
    model = Agency
    form_class = AgencyForm
    page_title = "Add an agency"
    success_message = "{object} added."

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Agencies", self.partnership_url("core:agencies")), ("Add", None)]

    def perform(self, form):
        return services.agency_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class AgencyUpdate(ScopedUpdateView):
    model = Agency
    form_class = AgencyForm
    page_title = "Change agency"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        return [
            self.home_crumb(),
            ("Agencies", self.partnership_url("core:agencies")),
            (str(self.object), self.object.get_absolute_url()),
            ("Change", None),
        ]

    def perform(self, form):
        return services.agency_update(actor=self.request.user, agency=self.object, **form.cleaned_data)


class PersonList(ScopedListView):
    model = Person
    template_name = "core/person_list.html"
    filter_form_class = PersonFilterForm
    page_title = "People"
    list_select_related = ("agency", "partnership")

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("People", None)]


class PersonDetail(ScopedDetailView):
    model = Person
    template_name = "core/person_detail.html"

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("People", self.partnership_url("core:people")), (str(self.object), None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = getattr(self.object, "user", None)
        context["sign_in"] = user
        context["assignments"] = (
            RoleAssignment.objects.restrict(self.access).filter(user=user).select_related("agency") if user else []
        )
        context["can_grant"] = self.access.can(Action.CHANGE, RoleAssignment)
        return context


class PersonFormMixin:
    form_class = PersonForm


class PersonCreate(PersonFormMixin, ScopedCreateView):
    model = Person
    page_title = "Add a person"
    success_message = "{object} added."

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("People", self.partnership_url("core:people")), ("Add", None)]

    def perform(self, form):
        return services.person_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class PersonUpdate(PersonFormMixin, ScopedUpdateView):
    model = Person
    page_title = "Change person"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        return [
            self.home_crumb(),
            ("People", self.partnership_url("core:people")),
            (str(self.object), self.object.get_absolute_url()),
            ("Change", None),
        ]

    def perform(self, form):
        return services.person_update(actor=self.request.user, person=self.object, **form.cleaned_data)


class PersonGrantAccess(ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    """Give a person a sign-in and a role. Only the business unit assigns roles."""

    model = Person
    roles = BUSINESS_UNIT
    form_class = GrantAccessForm
    page_title = "Give access"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.get_object()
        return context

    def get_breadcrumbs(self):
        person = self.get_object()
        return [
            self.home_crumb(),
            ("People", self.partnership_url("core:people")),
            (str(person), person.get_absolute_url()),
            ("Give access", None),
        ]

    def perform(self, form):
        person = self.get_object()
        assignment = services.person_grant_access(
            actor=self.request.user, person=person, request=self.request, **form.cleaned_data
        )
        messages.success(self.request, f"{person} now has the role {assignment.role_label}.")
        return person

    def get_success_url(self):
        return self.object.get_absolute_url()


class PersonSignInSwitch(ScopedActionView):
    """Switch a person's sign-in off (someone has left) or on again."""

    model = Person
    roles = BUSINESS_UNIT

    def post(self, request, *args, **kwargs):
        person = self.get_object()
        user = getattr(person, "user", None)
        if user is None:
            raise Http404("This person has no sign-in.")
        if user == request.user:
            messages.error(request, "You cannot switch off your own sign-in.")
            return HttpResponseRedirect(person.get_absolute_url())
        services.user_set_active(actor=request.user, user=user, active=not user.is_active)
        messages.success(request, f"{person}'s sign-in is now {'on' if user.is_active else 'off'}.")
        return HttpResponseRedirect(person.get_absolute_url())


class RoleRemove(ScopedActionView):
    model = RoleAssignment
    roles = BUSINESS_UNIT

    def post(self, request, *args, **kwargs):
        assignment = self.get_object()
        person = assignment.user.person
        services.role_remove(actor=request.user, assignment=assignment)
        messages.success(request, f"Removed the role {assignment.role_label}.")
        return HttpResponseRedirect(person.get_absolute_url() if person else self.partnership_url("core:people"))


class AuditList(ScopedListView):
    """The searchable audit trail of the partnership, for the business unit and the scrutineer."""

    model = AuditEntry
    roles = AUDITORS
    template_name = "core/audit_list.html"
    page_title = "Audit trail"
    paginate_by = 25

    def get_queryset(self):
        self.filter_form = AuditFilterForm(self.request.GET or None, record_types=queries.audited_record_types())
        queryset = AuditEntry.objects.restrict(self.access)
        if self.filter_form.is_valid():
            queryset = queries.filter_audit(queryset, **self.filter_form.cleaned_data)
        return queryset.order_by(*NEWEST_FIRST).select_related("actor__person", "content_type")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = with_related_names(list(context["object_list"]))
        return context

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Audit trail", None)]


class RecordHistory(PartnershipPage):
    """Every change to one record, newest first."""

    roles = AUDITORS
    template_name = "core/record_history.html"
    page_title = "History"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        app_label, _, model_name = self.kwargs["record_type"].partition(".")
        content_type = get_object_or_404(ContentType, app_label=app_label, model=model_name)
        entries = list(
            AuditEntry.objects.restrict(self.access)
            .filter(content_type=content_type, object_pk=str(self.kwargs["pk"]))
            .select_related("actor__person", "content_type")
        )
        with_related_names(entries)
        if not entries:
            raise Http404("No history for that record in this partnership.")
        context["entries"] = entries
        context["record_label"] = entries[0].object_repr
        context["breadcrumbs"] = [
            self.home_crumb(),
            ("Audit trail", self.partnership_url("core:audit")),
            (context["record_label"], None),
        ]
        return context


class ThemeList(ScopedListView):
    model = Theme
    template_name = "core/theme_list.html"
    page_title = "Learning themes"

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Learning themes", None)]


class ThemeCreate(ScopedCreateView):
    model = Theme
    form_class = ThemeForm
    page_title = "Add a learning theme"
    success_message = "{object} added."

    def get_success_url(self):
        return self.partnership_url("core:themes")

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Learning themes", self.partnership_url("core:themes")), ("Add", None)]

    def perform(self, form):
        return services.theme_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class ThemeUpdate(ScopedUpdateView):
    model = Theme
    form_class = ThemeForm
    page_title = "Change learning theme"
    success_message = "{object} saved."

    def get_success_url(self):
        return self.partnership_url("core:themes")

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Learning themes", self.partnership_url("core:themes")), (str(self.object), None)]

    def perform(self, form):
        return services.theme_update(actor=self.request.user, theme=self.object, **form.cleaned_data)
