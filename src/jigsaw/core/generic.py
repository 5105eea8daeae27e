"""Base views: a page is a declaration (model, roles, form, columns), scoped in one place.

Every partnership page resolves the partnership from the URL through the scoping helper (so a
partnership you hold no role in is a 404), sets `request.access`, checks the roles the view
declares, and fetches records only through `Model.objects.restrict(access, action)`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views import generic

from .forms import PartnershipFormBase
from .models import Partnership
from .scoping import Access, Action, Role, permits, sees_all, viewing

EVERY_ROLE = frozenset(Role.values)
PUBLIC = "public"


class JigsawMixin:
    """Declarations every page makes: who may use it, its title, its breadcrumbs."""

    roles: frozenset[str] | str = EVERY_ROLE
    page_title = ""
    # For the permission matrix: which model a <pk> in this view's URL refers to.
    model = None

    def get_page_title(self) -> str:
        return self.page_title

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.get_page_title())
        context.setdefault("breadcrumbs", self.get_breadcrumbs())
        return context


class SignedInView(JigsawMixin, generic.TemplateView):
    """A page about the user themself (their account), outside any partnership."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.access = Access.for_user(request.user)
        return super().dispatch(request, *args, **kwargs)


class PartnershipMixin(JigsawMixin):
    def dispatch(self, request, *args, **kwargs):
        if self.roles != PUBLIC and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        viewer = Access.for_user(request.user)
        partnerships = Partnership.objects.all() if self.roles == PUBLIC else Partnership.objects.restrict(viewer)
        self.partnership = get_object_or_404(partnerships, slug=kwargs["partnership"])
        request.access = self.access = viewer.within(self.partnership)
        if self.roles != PUBLIC and not self.access.has_role(*self.roles):
            raise PermissionDenied("Your role in this partnership does not include this page.")
        token = viewing.set(self.partnership)
        try:
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()  # links are made while rendering: inside the partnership being viewed
            return response
        finally:
            viewing.reset(token)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["partnership"] = self.partnership
        context["access"] = self.access
        return context

    def partnership_url(self, name: str, *args) -> str:
        return reverse(name, args=[self.partnership.slug, *args])

    def home_crumb(self) -> tuple[str, str]:
        return (self.partnership.name, self.partnership_url("core:partnership"))

    # Breadcrumbs as declarations: the app's landing page, then the pages between it and this
    # one, each (label, URL name); the page's own title ends the trail.
    section_crumb: tuple[str, str] | None = None
    trail: tuple[tuple[str, str], ...] = ()

    def crumbs(self, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
        declared = [self.section_crumb] if self.section_crumb else []
        declared += self.trail
        return [self.home_crumb(), *((label, self.partnership_url(name)) for label, name in declared), *more]

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        if not (self.section_crumb or self.trail):
            return super().get_breadcrumbs()
        return self.crumbs((self.get_page_title(), None))


class PartnershipPage(PartnershipMixin, generic.TemplateView):
    pass


class ScopedListView(PartnershipMixin, generic.ListView):
    """A list of a model's records in scope, with an optional search box and filter form."""

    paginate_by = 50
    filter_form_class = None
    search_fields: tuple[str, ...] = ()
    # Relations each row shows (its agency, its partnership for its link): one query, not one a row.
    list_select_related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = self.model.objects.restrict(self.access, Action.VIEW)
        if self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        self.filter_form = self.filter_form_class(self.request.GET or None) if self.filter_form_class else None
        if self.filter_form is not None and self.filter_form.is_valid():
            queryset = self.filter_form.apply(queryset)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = getattr(self, "filter_form", None)  # a view may override get_queryset
        context["can_add"] = self.access.can(Action.CHANGE, self.model)
        # An empty list says 'none yet' only to someone who would see them all.
        context["sees_all"] = sees_all(self.access, self.model)
        return context


class ScopedObjectMixin(PartnershipMixin):
    """Fetches the record in the URL through the scoping helper: out of scope is a 404."""

    action = Action.VIEW

    def get_object(self, queryset=None):
        # Kept for the request: titles, breadcrumbs and the form all ask for it.
        if getattr(self, "_scoped_object", None) is None:
            visible = self.model.objects.restrict(self.access, Action.VIEW)
            obj = get_object_or_404(visible, pk=self.kwargs["pk"])
            if self.action != Action.VIEW and not permits(self.access, self.action, obj):
                raise PermissionDenied("You can see this record but your role does not let you change it.")
            self._scoped_object = obj
        return self._scoped_object


class ScopedActionView(ScopedObjectMixin, generic.View):
    """A button that changes one record (remove a role, switch a sign-in off): POST only."""

    action = Action.CHANGE
    http_method_names = ["post"]


class ScopedDetailView(ScopedObjectMixin, generic.DetailView):
    def get_page_title(self) -> str:
        return self.page_title or str(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = permits(self.access, Action.CHANGE, self.object)
        context["can_audit"] = self.access.has_role(Role.BUSINESS_UNIT, Role.SCRUTINEER)
        return context


class ServiceFormMixin:
    """A form page whose valid submission is handed to a service; a ValidationError from the
    service is shown on the form (naming the field) and nothing is saved."""

    success_message = ""
    template_name = "core/form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if issubclass(self.get_form_class(), PartnershipFormBase):
            kwargs.update(partnership=self.partnership, access=self.access)
        return kwargs

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.perform(form)
                self.check_still_in_scope(self.object)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message.format(object=self.object))
        return HttpResponseRedirect(self.get_success_url())

    def perform(self, form):
        raise NotImplementedError

    def check_still_in_scope(self, obj) -> None:
        """A write may not put a record outside what the user may change (an agency lead
        adding someone to another agency): if it does, the transaction is undone."""
        model = getattr(self, "model", None)
        if model is not None and isinstance(obj, model) and hasattr(self, "access"):
            if not permits(self.access, Action.CHANGE, obj):
                raise ValidationError("Your role does not let you save this record with these details.")


class ScopedCreateView(ServiceFormMixin, PartnershipMixin, generic.FormView):
    action = Action.CHANGE

    def get(self, request, *args, **kwargs):
        self.check_can_add()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_can_add()
        return super().post(request, *args, **kwargs)

    def check_can_add(self):
        if not self.access.can(self.action, self.model):
            raise PermissionDenied("Your role does not let you add these records.")

    def get_success_url(self):
        return self.object.get_absolute_url()


class ChildFormView(ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    """A form that adds something under the record in the URL (a seat on a group, a question to a
    section, a review of an incident): the parent comes through the scoping helper with the right
    to change it, the page is titled and crumbed by it, and a save returns to it. `perform(form)`
    calls the service with `self.parent`."""

    action = Action.CHANGE

    @property
    def parent(self):
        return self.get_object()

    def get_page_title(self) -> str:
        return f"{self.page_title}: {self.parent}"

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        return self.crumbs((str(self.parent), self.parent.get_absolute_url()), (self.page_title, None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.parent
        return context

    def get_success_url(self):
        return self.parent.get_absolute_url()


class ScopedUpdateView(ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    action = Action.CHANGE

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        return context

    def get_success_url(self):
        return self.object.get_absolute_url()
