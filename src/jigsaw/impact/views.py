from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.views import generic

from jigsaw.core.generic import (
    PUBLIC,
    ChildFormView,
    PartnershipMixin,
    PartnershipPage,
    ScopedActionView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedUpdateView,
    ServiceFormMixin,
)
from jigsaw.core.links import SignedLinkMixin
from jigsaw.core.periods import choose_year
from jigsaw.core.scoping import PARTNERS, Action, Role
from jigsaw.governance.models import Priority

from . import forms, queries, services
from .models import Evidence, Framework, ManagerAssurance, Outcome

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})


class _ImpactMixin:
    section_crumb = ("Impact", "impact:home")

    def year_choice(self):
        return choose_year(self.request, self.partnership, queries.years_with_data(self.partnership))


class Home(_ImpactMixin, PartnershipPage):
    """Every priority of the year's plan with the strength of its evidence, and the framework."""

    roles = PARTNERS
    template_name = "impact/home.html"
    page_title = "Impact: the evidence chain"
    section_crumb = None

    def get_breadcrumbs(self):
        return [self.home_crumb(), (self.page_title, None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        choice = self.year_choice()
        chains = [queries.chain(p, choice.year, self.access) for p in queries.plan_priorities(self.access, choice.year)]
        context.update(
            year=choice.year,
            year_choice=choice,
            chains=chains,
            frameworks=Framework.objects.restrict(self.access).select_related("plan"),
            can_add=self.access.can(Action.CHANGE, Framework),
            to_name=queries.managers_to_name(self.access)[:20],
        )
        return context


class ChainPage(_ImpactMixin, PartnershipMixin, generic.DetailView):
    """One priority's chain: what we learnt, what we changed, what difference it made."""

    roles = PARTNERS
    model = Priority
    template_name = "impact/chain.html"

    def get_object(self, queryset=None):
        return get_object_or_404(Priority.objects.restrict(self.access).select_related("plan"), pk=self.kwargs["pk"])

    def get_page_title(self):
        return str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        choice = self.year_choice()
        context.update(
            year=choice.year,
            year_choice=choice,
            chain=queries.chain(self.object, choice.year, self.access),
            sees_reviews=self.access.has_role(Role.BUSINESS_UNIT, Role.SCRUTINEER),
        )
        return context


class FrameworkDetail(_ImpactMixin, ScopedDetailView):
    model = Framework
    roles = PARTNERS
    template_name = "impact/framework.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outcomes = (
            Outcome.objects.restrict(self.access)
            .filter(framework=self.object)
            .select_related("priority")
            .prefetch_related(
                "evidence__indicator",
                "evidence__s11_question__section",
                "evidence__s11_section",
                "evidence__audit",
                "evidence__course",
                "evidence__cycle",
                "evidence__week",
            )
        )
        by_priority: dict = {}
        for outcome in outcomes:
            by_priority.setdefault(outcome.priority, []).append(outcome)
        context["by_priority"] = list(by_priority.items())
        context["newer"] = Framework.objects.restrict(self.access).filter(previous=self.object).first()
        return context


class FrameworkCreate(_ImpactMixin, ScopedCreateView):
    model = Framework
    roles = BUSINESS_UNIT
    form_class = forms.FrameworkForm
    page_title = "Add a quality assurance framework"

    def perform(self, form):
        return services.framework_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class FrameworkUpdate(_ImpactMixin, ScopedUpdateView):
    model = Framework
    roles = BUSINESS_UNIT
    form_class = forms.FrameworkChangeForm
    page_title = "Change the framework"

    def perform(self, form):
        return services.framework_update(actor=self.request.user, framework=self.object, **form.cleaned_data)


class FrameworkAdopt(_ImpactMixin, ScopedActionView):
    model = Framework
    roles = BUSINESS_UNIT

    def post(self, request, *args, **kwargs):
        framework = self.get_object()
        try:
            services.framework_adopt(actor=request.user, framework=framework)
            messages.success(request, f"{framework} is adopted: a change now makes the next version.")
        except Exception as error:  # a ValidationError: said on the page
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return HttpResponseRedirect(framework.get_absolute_url())


class OutcomeAdd(_ImpactMixin, ChildFormView):
    model = Framework
    roles = BUSINESS_UNIT
    form_class = forms.OutcomeForm
    page_title = "Add an outcome"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "framework": self.parent}

    def perform(self, form):
        return services.outcome_add(actor=self.request.user, framework=self.parent, **form.cleaned_data)

    def get_success_url(self):
        return self.object.get_absolute_url()


class OutcomeUpdate(_ImpactMixin, ScopedUpdateView):
    model = Outcome
    roles = BUSINESS_UNIT
    form_class = forms.OutcomeForm
    page_title = "Change the outcome"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "framework": self.get_object().framework}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        return services.outcome_update(actor=self.request.user, outcome=self.get_object(), **fields)


class EvidenceAdd(_ImpactMixin, ChildFormView):
    model = Outcome
    roles = BUSINESS_UNIT
    form_class = forms.EvidenceForm
    page_title = "Link evidence"

    def perform(self, form):
        return services.evidence_add(actor=self.request.user, outcome=self.parent, **form.cleaned_data)

    def get_success_url(self):
        return self.object.get_absolute_url()


class EvidenceRemove(_ImpactMixin, ScopedActionView):
    model = Evidence
    roles = BUSINESS_UNIT

    def post(self, request, *args, **kwargs):
        evidence = self.get_object()
        try:
            version = services.evidence_remove(actor=request.user, evidence=evidence)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(evidence.outcome.framework.get_absolute_url())
        messages.success(request, "The evidence is no longer linked.")
        return HttpResponseRedirect(version.get_absolute_url())


# --- Managers' assurance ----------------------------------------------------------------------


class Managers(_ImpactMixin, PartnershipPage):
    """Managers' answers per course and agency (the partnership's figures), their examples as
    far as the viewer may read them, and the requests waiting for a manager to be named."""

    roles = PARTNERS
    template_name = "impact/managers.html"
    page_title = "Managers' assurance of training impact"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        choice = self.year_choice()
        context.update(
            year=choice.year,
            year_choice=choice,
            rows=queries.manager_answers(choice.year, self.partnership),
            examples=queries.manager_examples(self.access, choice.year)[:12],
            sees_all_examples=self.access.has_role(Role.BUSINESS_UNIT),
            to_name=queries.managers_to_name(self.access),
        )
        return context


class ManagerDetail(_ImpactMixin, ScopedDetailView):
    model = ManagerAssurance
    roles = frozenset({Role.BUSINESS_UNIT, Role.AGENCY_LEAD})
    template_name = "impact/manager.html"
    trail = (("Managers' assurance", "impact:managers"),)

    def get_page_title(self):
        return f"Manager's assurance: {self.object.booking.name}"


class ManagerName(_ImpactMixin, ScopedUpdateView):
    model = ManagerAssurance
    roles = frozenset({Role.BUSINESS_UNIT, Role.AGENCY_LEAD})
    form_class = forms.ManagerNameForm
    page_title = "Name the line manager"
    trail = (("Managers' assurance", "impact:managers"),)

    def perform(self, form):
        return services.manager_name(actor=self.request.user, request=self.get_object(), **form.cleaned_data)


class ManagerAnswer(SignedLinkMixin, ServiceFormMixin, PartnershipMixin, generic.FormView):
    """Reached from the link in the manager's email: no account needed."""

    roles = PUBLIC
    template_name = "impact/answer.html"
    form_class = forms.ManagerAnswerForm
    page_title = "Has their practice changed?"
    link = services.MANAGER_LINK
    link_kwarg = "manager_code"
    link_records = ManagerAssurance._base_manager.select_related("booking__event__course")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "assurance": self.linked()}

    def check_still_in_scope(self, obj):
        return None  # the manager reads nothing back; the code in the link is theirs

    def perform(self, form):
        return services.manager_answer(request=self.linked(), **form.cleaned_data)

    def get_success_url(self):
        messages.success(self.request, "Thank you: your answer helps the partnership see what training changes.")
        return self.partnership_url("impact:answer", self.kwargs["manager_code"])
