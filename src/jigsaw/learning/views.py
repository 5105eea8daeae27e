"""Pages for learning from reviews, learning cycles, horizon scanning and briefings."""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views import generic

from jigsaw.actions.services import action_raise
from jigsaw.core.generic import (
    PUBLIC,
    PartnershipMixin,
    PartnershipPage,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ScopedUpdateView,
    ServiceFormMixin,
)
from jigsaw.core.scoping import Access, Action, Role, sees_all
from jigsaw.governance.models import BusinessPlan

from . import forms, queries, services
from .models import (
    PARTNERSHIP_READERS,
    REVIEW_READERS,
    Briefing,
    CaseReview,
    HorizonScanItem,
    LearningCycle,
    can_see_characteristics,
    can_see_reviews,
)

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})


class LearningMixin:
    section = ""
    section_url = ""

    def learning_crumbs(self, *rest):
        crumbs = [self.home_crumb(), ("Learning", self.partnership_url("learning:home"))]
        if self.section:
            crumbs.append((self.section, self.partnership_url(self.section_url)))
        return [*crumbs, *rest]


class LearningHome(LearningMixin, PartnershipPage):
    roles = PARTNERSHIP_READERS | {Role.PRACTITIONER}
    template_name = "learning/home.html"
    page_title = "Learning"

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Learning", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_see_reviews"] = can_see_reviews(self.access)
        context["can_see_cycles"] = self.access.has_role(*PARTNERSHIP_READERS)
        if context["can_see_reviews"]:
            context["overdue"], context["upcoming"] = queries.clock_dashboard(self.access)
        return context


# Case reviews ---------------------------------------------------------------------------------


class ReviewMixin(LearningMixin):
    model = CaseReview
    roles = REVIEW_READERS
    section = "Case reviews"
    section_url = "learning:reviews"


class ReviewList(ReviewMixin, ScopedListView):
    template_name = "learning/review_list.html"
    page_title = "Case reviews"

    def get_queryset(self):
        return super().get_queryset().select_related("referring_agency")

    def get_breadcrumbs(self):
        return self.learning_crumbs()[:-1] + [("Case reviews", None)]


class ReviewDashboard(ReviewMixin, PartnershipPage):
    template_name = "learning/review_dashboard.html"
    page_title = "Statutory clocks"

    def get_breadcrumbs(self):
        return self.learning_crumbs(("Statutory clocks", None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["overdue"], context["upcoming"] = queries.clock_dashboard(self.access)
        context["sees_all"] = sees_all(self.access, CaseReview)
        return context


class ReviewDetail(ReviewMixin, ScopedDetailView):
    template_name = "learning/review_detail.html"

    def get_breadcrumbs(self):
        return self.learning_crumbs((str(self.object), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["clocks"] = self.object.clocks()
        context["show_characteristics"] = can_see_characteristics(self.access)
        context["agencies_involved"] = self.object.agencies_involved.all()
        context["themes"] = self.object.themes.all()
        context["briefings"] = self.object.briefings.restrict(self.access)
        return context


class ReviewFormMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "show_characteristics": can_see_characteristics(self.access)}


class ReviewRefer(ReviewMixin, ReviewFormMixin, ScopedCreateView):
    form_class = forms.ReferralForm
    page_title = "Refer a case for learning"
    template_name = "learning/referral_form.html"
    success_message = "Referral {object} recorded."

    def get_breadcrumbs(self):
        return self.learning_crumbs(("Refer", None))

    def perform(self, form):
        return services.review_refer(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class ReviewStep(ReviewMixin, ScopedUpdateView):
    """One step of a review on its own page, handed to its service."""

    step = ""
    service = None
    success_message = "Saved."

    def get_page_title(self):
        return f"{self.step}: {self.object}" if self.object else self.step

    def get_breadcrumbs(self):
        return self.learning_crumbs((str(self.object), self.object.get_absolute_url()), (self.step, None))

    def perform(self, form):
        return type(self).service(actor=self.request.user, review=self.object, **form.cleaned_data)


class ReviewUpdate(ReviewFormMixin, ReviewStep):
    form_class = forms.ReferralForm
    template_name = "learning/referral_form.html"
    step = "Change the referral"
    service = services.review_update


class ReviewDecide(ReviewStep):
    form_class = forms.DecisionForm
    step = "Panel decision"
    service = services.review_decide
    success_message = "Panel decision recorded."


class ReviewNotify(ReviewStep):
    form_class = forms.NotificationForm
    step = "Notification to the national panel"
    service = services.review_notify
    success_message = "Notification recorded."


class ReviewRapidReview(ReviewStep):
    form_class = forms.RapidReviewForm
    step = "Rapid review"
    service = services.review_record_rapid_review
    success_message = "Rapid review recorded."


class ReviewPracticeReview(ReviewStep):
    form_class = forms.PracticeReviewForm
    step = "Local child safeguarding practice review"
    service = services.review_record_practice_review
    success_message = "Practice review recorded."


class RaiseAction(ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    """Raise an action into the themed learning log from a review or a learning cycle."""

    action = Action.CHANGE
    form_class = forms.ActionForm
    page_title = "Raise an action"
    success_message = "Action {object} raised in the learning log."

    def get(self, request, *args, **kwargs):
        self.source = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.source = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "object": self.source}

    def get_breadcrumbs(self):
        return self.learning_crumbs((str(self.source), self.source.get_absolute_url()), (self.page_title, None))

    def perform(self, form):
        source = self.source
        return action_raise(
            actor=self.request.user,
            partnership=self.partnership,
            source=source,
            themes=list(source.themes.all()),
            plan_priorities=[source.priority] if isinstance(source, LearningCycle) else [],
            **form.cleaned_data,
        )

    def check_still_in_scope(self, obj):
        pass  # the action belongs to the learning log; the record it came from is unchanged

    def get_success_url(self):
        return self.source.get_absolute_url()


class ReviewRaiseAction(ReviewMixin, RaiseAction):
    pass


# Learning cycles -------------------------------------------------------------------------------


class CycleMixin(LearningMixin):
    model = LearningCycle
    roles = PARTNERSHIP_READERS
    section = "Learning cycles"
    section_url = "learning:cycles"


class CycleList(CycleMixin, ScopedListView):
    template_name = "learning/cycle_list.html"
    page_title = "Learning cycles"
    paginate_by = None

    def get_queryset(self):
        return super().get_queryset().select_related("priority", "priority__plan").annotate(voice_count=Count("voices"))

    def get_breadcrumbs(self):
        return self.learning_crumbs()[:-1] + [("Learning cycles", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plans = (
            BusinessPlan.objects.restrict(self.access)
            .annotate(cycle_count=Count("priorities__learning_cycles"))
            .filter(cycle_count__gt=0)
        )
        context["timelines"] = [queries.plan_timeline(self.access, plan) for plan in plans]
        return context


class CycleDetail(CycleMixin, ScopedDetailView):
    template_name = "learning/cycle_detail.html"

    def get_page_title(self):
        return self.object.title

    def get_breadcrumbs(self):
        return self.learning_crumbs((self.object.title, None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["period"] = f"{self.object.starts_on:%B %Y} to {self.object.ends_on:%B %Y}"
        context["voices"] = self.object.voices.restrict(self.access).select_related("entered_by", "entered_by__person")
        context["themes"] = self.object.themes.all()
        return context


class CycleCreate(CycleMixin, ScopedCreateView):
    form_class = forms.CycleForm
    page_title = "Start a learning cycle"
    success_message = "Learning cycle {object} started."

    def get_breadcrumbs(self):
        return self.learning_crumbs(("Start", None))

    def perform(self, form):
        return services.cycle_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class CycleUpdate(CycleMixin, ScopedUpdateView):
    form_class = forms.CycleForm
    page_title = "Change the learning cycle"
    success_message = "Learning cycle saved."

    def get_breadcrumbs(self):
        return self.learning_crumbs((self.object.title, self.object.get_absolute_url()), ("Change", None))

    def perform(self, form):
        return services.cycle_update(actor=self.request.user, cycle=self.object, **form.cleaned_data)


class VoiceAdd(CycleMixin, ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    """Add a voice to a cycle (the cycle is the record in the URL)."""

    action = Action.CHANGE
    form_class = forms.VoiceForm
    page_title = "Add a voice"
    template_name = "learning/voice_form.html"
    success_message = "Voice added."

    def get(self, request, *args, **kwargs):
        self.cycle = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.cycle = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return self.learning_crumbs((self.cycle.title, self.cycle.get_absolute_url()), ("Add a voice", None))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cycle": self.cycle}

    def perform(self, form):
        return services.voice_add(actor=self.request.user, cycle=self.cycle, **form.cleaned_data)

    def check_still_in_scope(self, obj):
        pass  # a voice is kept with its cycle, which the view has checked the user may change

    def get_success_url(self):
        return self.cycle.get_absolute_url()


class CycleRaiseAction(CycleMixin, RaiseAction):
    page_title = "Raise an area of development"


# Horizon scanning ------------------------------------------------------------------------------


class HorizonMixin(LearningMixin):
    model = HorizonScanItem
    roles = PARTNERSHIP_READERS
    section = "Horizon scanning"
    section_url = "learning:horizon"


class HorizonList(HorizonMixin, ScopedListView):
    template_name = "learning/horizon_list.html"
    page_title = "Horizon scanning"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("themes")

    def get_breadcrumbs(self):
        return self.learning_crumbs()[:-1] + [("Horizon scanning", None)]


class HorizonDetail(HorizonMixin, ScopedDetailView):
    template_name = "learning/horizon_detail.html"

    def get_page_title(self):
        return self.object.title

    def get_breadcrumbs(self):
        return self.learning_crumbs((self.object.title, None))


class HorizonCreate(HorizonMixin, ScopedCreateView):
    form_class = forms.HorizonScanItemForm
    page_title = "Record national learning"
    success_message = "{object} recorded."

    def get_breadcrumbs(self):
        return self.learning_crumbs(("Add", None))

    def perform(self, form):
        return services.horizon_item_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class HorizonUpdate(HorizonMixin, ScopedUpdateView):
    form_class = forms.HorizonScanItemForm
    page_title = "Change national learning"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        return self.learning_crumbs((self.object.title, self.object.get_absolute_url()), ("Change", None))

    def perform(self, form):
        return services.horizon_item_update(actor=self.request.user, item=self.object, **form.cleaned_data)


# Briefings -------------------------------------------------------------------------------------


class BriefingMixin(LearningMixin):
    model = Briefing
    roles = PARTNERSHIP_READERS | {Role.PRACTITIONER}
    section = "Briefings"
    section_url = "learning:briefings"


class BriefingList(BriefingMixin, ScopedListView):
    template_name = "learning/briefing_list.html"
    page_title = "Learning briefings"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("themes")

    def get_breadcrumbs(self):
        return self.learning_crumbs()[:-1] + [("Briefings", None)]


class BriefingDetail(BriefingMixin, ScopedDetailView):
    template_name = "learning/briefing_detail.html"

    def get_page_title(self):
        return self.object.title

    def get_breadcrumbs(self):
        return self.learning_crumbs((self.object.title, None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["themes"] = self.object.themes.all()
        context["reviews"] = self.object.reviews.restrict(self.access)
        context["cycles"] = self.object.cycles.restrict(self.access)
        return context


class BriefingCreate(BriefingMixin, ScopedCreateView):
    form_class = forms.BriefingForm
    page_title = "Write a learning briefing"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        return self.learning_crumbs(("Write", None))

    def perform(self, form):
        return services.briefing_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class BriefingUpdate(BriefingMixin, ScopedUpdateView):
    form_class = forms.BriefingForm
    page_title = "Change the learning briefing"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        return self.learning_crumbs((self.object.title, self.object.get_absolute_url()), ("Change", None))

    def perform(self, form):
        return services.briefing_update(actor=self.request.user, briefing=self.object, **form.cleaned_data)


class PublicBriefingMixin(PartnershipMixin):
    """The public site: published briefings only, for anyone, signed in or not."""

    model = Briefing
    roles = PUBLIC

    def public_briefings(self):
        return queries.briefings(Access.public(self.partnership))

    def public_crumbs(self, *more):
        try:  # the public site's home page, where the procedures app provides one
            home = [(self.partnership.name, self.partnership_url("policies:public-home"))]
        except NoReverseMatch:
            home = []
        return [*home, *more]


class PublicBriefingList(PublicBriefingMixin, generic.ListView):
    template_name = "learning/public_briefing_list.html"
    paginate_by = 50

    def get_page_title(self):
        return f"Learning briefings from {self.partnership.name}"

    def get_queryset(self):
        return self.public_briefings()

    def get_breadcrumbs(self):
        return self.public_crumbs(("Learning briefings", None))


class PublicBriefingDetail(PublicBriefingMixin, generic.DetailView):
    template_name = "learning/public_briefing_detail.html"

    def get_object(self, queryset=None):
        return get_object_or_404(self.public_briefings(), pk=self.kwargs["pk"])

    def get_page_title(self):
        return self.object.title

    def get_breadcrumbs(self):
        return self.public_crumbs(
            ("Learning briefings", self.partnership_url("learning:public-briefings")), (self.object.title, None)
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "themes": self.object.themes.all(), "today": timezone.localdate()}
