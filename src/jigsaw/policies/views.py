"""Pages of the procedures library, the newsletter and the escalations tracker (signed in).
The public site's pages are in public.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.views import generic

from jigsaw.core.files import FileDownload
from jigsaw.core.generic import (
    PartnershipPage,
    ScopedActionView,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedObjectMixin,
    ScopedUpdateView,
    ServiceFormMixin,
)
from jigsaw.core.publications import recent
from jigsaw.core.scoping import PARTNERS, Action, Role

from . import forms, queries, rendering, search, services
from .models import (
    Attachment,
    Consultation,
    ConsultationComment,
    Digest,
    Document,
    DocumentKind,
    Escalation,
    SitePage,
    SitePageKind,
    Status,
    Subscriber,
    Topic,
    Version,
)

BUSINESS_UNIT = frozenset({Role.BUSINESS_UNIT})
LIBRARY_ROLES = frozenset(Role.values)
ESCALATION_ROLES = frozenset({Role.BUSINESS_UNIT, Role.SCRUTINEER, Role.GROUP_CHAIR, Role.MEMBER, Role.AGENCY_LEAD})


class LibraryMixin:
    def library_crumbs(self, *more):
        return [self.home_crumb(), ("Procedures", self.partnership_url("policies:library")), *more]


class RecordFormView(LibraryMixin, ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    """A form that acts on the record in the URL (add a version to a document, answer a comment)."""

    action = Action.CHANGE
    roles = BUSINESS_UNIT

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = None

    def get_form(self, form_class=None):
        self.record = self.get_object()
        return super().get_form(form_class)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "record": self.record}

    def get_success_url(self):
        return self.object.get_absolute_url()


# The library -------------------------------------------------------------------------------


class Library(LibraryMixin, ScopedListView):
    model = Document
    roles = LIBRARY_ROLES
    template_name = "policies/library.html"
    page_title = "Procedures and practice guidance"

    def get_queryset(self):
        self.filter_form = None
        documents = queries.library(self.access)
        self.status = self.request.GET.get("status", "")
        self.kind = self.request.GET.get("kind", "")
        if self.status in Status.values:
            documents = documents.filter(status=self.status)
        if self.kind in DocumentKind.values:
            documents = documents.filter(kind=self.kind)
        return documents

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Procedures", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            statuses=Status.choices,
            kinds=DocumentKind.choices,
            status=self.status,
            kind=self.kind,
            is_business_unit=self.access.has_role(Role.BUSINESS_UNIT),
        )
        return context


class Reviews(LibraryMixin, ScopedListView):
    model = Document
    roles = PARTNERS  # which procedures are due for review is the partners' working list
    template_name = "policies/reviews.html"
    page_title = "Reviews due and overdue"

    def get_queryset(self):
        self.filter_form = None
        return queries.reviews(self.access)

    def get_breadcrumbs(self):
        return self.library_crumbs(("Reviews", None))

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": timezone.localdate()}


class Search(LibraryMixin, PartnershipPage):
    roles = LIBRARY_ROLES
    template_name = "policies/search.html"
    page_title = "Search procedures"

    def get_breadcrumbs(self):
        return self.library_crumbs(("Search", None))

    def get_context_data(self, **kwargs):
        form = forms.SearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "query": query,
            "hits": search.search(self.access, query) if query else None,
        }


class DocumentCreate(LibraryMixin, ScopedCreateView):
    model = Document
    roles = BUSINESS_UNIT
    form_class = forms.DocumentForm
    page_title = "Add a procedure or guidance document"
    success_message = "{object} added. Now write its first version."

    def get_breadcrumbs(self):
        return self.library_crumbs(("Add", None))

    def perform(self, form):
        return services.document_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class DocumentUpdate(LibraryMixin, ScopedUpdateView):
    model = Document
    roles = BUSINESS_UNIT
    form_class = forms.DocumentForm
    page_title = "Change document details"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        return self.library_crumbs((str(self.object), self.object.get_absolute_url()), ("Change", None))

    def perform(self, form):
        return services.document_update(actor=self.request.user, document=self.object, **form.cleaned_data)


class DocumentDetail(LibraryMixin, ScopedDetailView):
    model = Document
    roles = LIBRARY_ROLES
    template_name = "policies/document.html"

    def get_breadcrumbs(self):
        return self.library_crumbs((str(self.object), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        versions = list(queries.versions_with_trail(self.object, self.access))
        working = next((v for v in versions if v.is_editable or v.status == "approved"), None)
        context.update(
            versions=versions,
            working=working,
            current=self.object.current_version,
            current_html=rendering.render(self.object.current_version.body) if self.object.current_version_id else "",
            consultation=Consultation.objects.restrict(self.access)
            .filter(version=working)
            .prefetch_related("agencies", "comments__agency")
            .first()
            if working
            else None,
        )
        return context


class DocumentWithdraw(ScopedActionView):
    model = Document
    roles = BUSINESS_UNIT

    def post(self, request, *args, **kwargs):
        document = services.document_withdraw(actor=request.user, document=self.get_object())
        messages.success(request, f"{document} withdrawn: it is no longer on the public site.")
        return HttpResponseRedirect(document.get_absolute_url())


class VersionCreate(RecordFormView):
    model = Document
    form_class = forms.VersionForm
    page_title = "Write a new version"
    success_message = "Version saved as a draft."

    def get_breadcrumbs(self):
        return self.library_crumbs((str(self.record), self.record.get_absolute_url()), ("New version", None))

    def perform(self, form):
        return services.version_create(actor=self.request.user, document=self.record, **form.cleaned_data)

    def get_success_url(self):
        return self.object.document.get_absolute_url()


class VersionDetail(LibraryMixin, ScopedDetailView):
    model = Version
    roles = LIBRARY_ROLES
    template_name = "policies/version.html"

    def get_breadcrumbs(self):
        document = self.object.document
        return self.library_crumbs(
            (str(document), document.get_absolute_url()), (f"Version {self.object.number}", None)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            body_html=rendering.render(self.object.body),
            contents=rendering.headings(self.object.body),
            triggers=self.object.triggers.restrict(self.access).select_related("source_type"),
            attachments=self.object.attachments.restrict(self.access),
        )
        return context


class VersionUpdate(LibraryMixin, ScopedUpdateView):
    model = Version
    roles = BUSINESS_UNIT
    form_class = forms.VersionForm
    page_title = "Change this version"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        document = self.object.document
        return self.library_crumbs(
            (str(document), document.get_absolute_url()),
            (f"Version {self.object.number}", self.object.get_absolute_url()),
            ("Change", None),
        )

    def perform(self, form):
        return services.version_update(actor=self.request.user, version=self.object, **form.cleaned_data)

    def get_success_url(self):
        return self.object.document.get_absolute_url()


class AttachmentCreate(RecordFormView):
    model = Version
    form_class = forms.AttachmentForm
    page_title = "Attach a file"
    success_message = "File attached."

    def get_breadcrumbs(self):
        return self.library_crumbs(
            (str(self.record.document), self.record.document.get_absolute_url()), ("Attach a file", None)
        )

    def perform(self, form):
        services.attachment_add(actor=self.request.user, version=self.record, **form.cleaned_data)
        return self.record


class AttachmentDownload(FileDownload):
    model = Attachment
    roles = LIBRARY_ROLES


class TriggerCreate(RecordFormView):
    model = Version
    form_class = forms.TriggerForm
    page_title = "Record what triggered this version"
    success_message = "Trigger recorded."

    def get_breadcrumbs(self):
        return self.library_crumbs(
            (str(self.record.document), self.record.document.get_absolute_url()), ("Why it changed", None)
        )

    def perform(self, form):
        data = form.cleaned_data
        try:
            services.trigger_add(
                actor=self.request.user, version=self.record, label=data["label"], source=data.get("source")
            )
        except services.ValidationError as error:
            if hasattr(error, "error_dict") and "source_id" in error.error_dict:
                raise services.ValidationError({"record_id": error.error_dict["source_id"]}) from None
            raise
        return self.record.document


class VersionApprove(ScopedActionView):
    model = Version
    roles = BUSINESS_UNIT

    def post(self, request, *args, **kwargs):
        version = self.get_object()
        try:
            services.version_approve(actor=request.user, version=version)
            messages.success(request, f"Version {version.number} approved. Publish it to put it on the public site.")
        except services.ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(version.document.get_absolute_url())


class VersionPublish(ScopedActionView):
    model = Version
    roles = BUSINESS_UNIT

    def post(self, request, *args, **kwargs):
        version = self.get_object()
        try:
            services.version_publish(actor=request.user, version=version)
            messages.success(request, f"Version {version.number} published on the public site.")
        except services.ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(version.document.get_absolute_url())


class ConsultationOpen(RecordFormView):
    model = Version
    form_class = forms.ConsultationForm
    page_title = "Open for consultation"
    success_message = "Consultation opened."

    def get_breadcrumbs(self):
        return self.library_crumbs(
            (str(self.record.document), self.record.document.get_absolute_url()), ("Consultation", None)
        )

    def perform(self, form):
        services.consultation_open(actor=self.request.user, version=self.record, **form.cleaned_data)
        return self.record.document


class CommentCreate(RecordFormView):
    model = Consultation
    form_class = forms.CommentForm
    page_title = "Record an agency's comment"
    success_message = "Comment recorded."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agencies": self.get_object().agencies.all()}

    def get_breadcrumbs(self):
        document = self.get_object().version.document
        return self.library_crumbs((str(document), document.get_absolute_url()), ("Comment", None))

    def perform(self, form):
        services.comment_add(actor=self.request.user, consultation=self.record, **form.cleaned_data)
        return self.record.version.document


class CommentAnswer(RecordFormView):
    model = ConsultationComment
    form_class = forms.AnswerForm
    page_title = "Answer a comment"
    success_message = "Answer saved."
    template_name = "policies/answer.html"

    def get_breadcrumbs(self):
        document = self.get_object().consultation.version.document
        return self.library_crumbs((str(document), document.get_absolute_url()), ("Answer", None))

    def perform(self, form):
        services.comment_answer(actor=self.request.user, comment=self.record, **form.cleaned_data)
        return self.record.consultation.version.document


# The newsletter ----------------------------------------------------------------------------


class NewsletterMixin:
    def newsletter_crumbs(self, *more):
        return [self.home_crumb(), ("Newsletter", self.partnership_url("policies:newsletter")), *more]


class Newsletter(NewsletterMixin, ScopedListView):
    model = Digest
    roles = BUSINESS_UNIT
    template_name = "policies/newsletter.html"
    page_title = "Newsletter"

    def get_queryset(self):
        self.filter_form = None
        return queries_digests(self.access)

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Newsletter", None)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subscribers = Subscriber.objects.restrict(self.access)
        context["subscriber_count"] = subscribers.filter(
            confirmed_at__isnull=False, unsubscribed_at__isnull=True
        ).count()
        context["pending_count"] = subscribers.filter(confirmed_at__isnull=True).count()
        return context


def queries_digests(access):
    from django.db.models import Count, Q

    return (
        Digest.objects.restrict(access)
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__sent_at__isnull=False)),
            waiting=Count("deliveries", filter=Q(deliveries__sent_at__isnull=True)),
        )
        .order_by("-created_at")
    )  # an aggregate drops Meta.ordering


def prefilled_body(partnership, start, end, topics) -> str:
    items = [item for item in recent(partnership, start, set(topics)) if item.published_on <= end]
    if not items:
        return "Nothing was published in this period."
    lines = []
    for topic in Topic:
        mine = [item for item in items if item.kind == topic.value]
        if mine:
            lines.append(f"# {topic.label}\n")
            lines.extend(
                f"- [{item.title}]({item.url}) ({item.published_on:%-d %B %Y}){': ' + item.summary if item.summary else ''}"
                for item in mine
            )
            lines.append("")
    return "\n".join(lines)


class DigestCreate(NewsletterMixin, ScopedCreateView):
    model = Digest
    roles = BUSINESS_UNIT
    form_class = forms.DigestForm
    page_title = "Compose a digest"
    success_message = "Digest saved. Check the preview, then send it."

    def get_initial(self):
        today = timezone.localdate()
        start = today.replace(day=1)
        period = forms.PeriodForm(self.request.GET or None)
        if period.is_valid():
            start, end = period.cleaned_data["period_start"], period.cleaned_data["period_end"]
        else:
            end = today
        topics = Topic.values
        return {
            "subject": f"{self.partnership.name}: what's new, {start:%-d %B} to {end:%-d %B %Y}",
            "period_start": start,
            "period_end": end,
            "topics": topics,
            "body": prefilled_body(self.partnership, start, end, topics),
        }

    def get_breadcrumbs(self):
        return self.newsletter_crumbs(("Compose", None))

    def perform(self, form):
        return services.digest_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class DigestUpdate(NewsletterMixin, ScopedUpdateView):
    model = Digest
    roles = BUSINESS_UNIT
    form_class = forms.DigestForm
    page_title = "Change the digest"
    success_message = "Digest saved."

    def get_breadcrumbs(self):
        return self.newsletter_crumbs((str(self.object), self.object.get_absolute_url()), ("Change", None))

    def perform(self, form):
        return services.digest_update(actor=self.request.user, digest=self.object, **form.cleaned_data)


class DigestDetail(NewsletterMixin, ScopedDetailView):
    model = Digest
    roles = BUSINESS_UNIT
    template_name = "policies/digest.html"

    def get_breadcrumbs(self):
        return self.newsletter_crumbs((str(self.object), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deliveries = self.object.deliveries.all()
        context.update(
            preview=rendering.render(self.object.body),
            delivered=deliveries.filter(sent_at__isnull=False).count(),
            waiting=deliveries.filter(sent_at__isnull=True).count(),
            topic_labels=[Topic(t).label for t in self.object.topics if t in Topic.values],
        )
        return context


class DigestSend(ScopedActionView):
    model = Digest
    roles = BUSINESS_UNIT

    def post(self, request, *args, **kwargs):
        digest = self.get_object()
        try:
            services.digest_send(actor=request.user, digest=digest, base_url=request.build_absolute_uri("/"))
            messages.success(request, "The digest is being sent. The delivery log below shows progress.")
        except services.ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(digest.get_absolute_url())


# Escalations -------------------------------------------------------------------------------


class EscalationMixin:
    def escalation_crumbs(self, *more):
        return [self.home_crumb(), ("Professional disagreements", self.partnership_url("policies:escalations")), *more]


class EscalationList(EscalationMixin, ScopedListView):
    model = Escalation
    roles = ESCALATION_ROLES
    template_name = "policies/escalations.html"
    page_title = "Professional disagreements"

    def get_queryset(self):
        self.filter_form = None
        return queries.escalations(self.access)

    def get_breadcrumbs(self):
        return [self.home_crumb(), ("Professional disagreements", None)]

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "counts": queries.escalation_counts(queries.escalations(self.access)),
        }


class EscalationCreate(EscalationMixin, ScopedCreateView):
    model = Escalation
    roles = ESCALATION_ROLES
    form_class = forms.EscalationForm
    page_title = "Record a professional disagreement"
    success_message = "{object} recorded at stage 1."

    def get_breadcrumbs(self):
        return self.escalation_crumbs(("Record", None))

    def perform(self, form):
        return services.escalation_create(actor=self.request.user, partnership=self.partnership, **form.cleaned_data)


class EscalationUpdate(EscalationMixin, ScopedUpdateView):
    model = Escalation
    roles = ESCALATION_ROLES
    form_class = forms.EscalationForm
    page_title = "Change the disagreement's details"
    success_message = "{object} saved."

    def get_breadcrumbs(self):
        return self.escalation_crumbs((str(self.object), self.object.get_absolute_url()), ("Change", None))

    def perform(self, form):
        return services.escalation_update(actor=self.request.user, escalation=self.object, **form.cleaned_data)


class EscalationDetail(EscalationMixin, ScopedDetailView):
    model = Escalation
    roles = ESCALATION_ROLES
    template_name = "policies/escalation.html"

    def get_page_title(self):
        return f"Professional disagreement {self.object}"

    def get_breadcrumbs(self):
        return self.escalation_crumbs((str(self.object), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stages"] = [
            (number, label, self.object.stage_on(number))
            for number, label in Escalation._meta.get_field("stage").choices
        ]
        return context


class EscalationFormView(EscalationMixin, RecordFormView):
    model = Escalation
    roles = ESCALATION_ROLES

    def get_breadcrumbs(self):
        return self.escalation_crumbs(
            (str(self.get_object()), self.get_object().get_absolute_url()), (self.page_title, None)
        )


class EscalationMove(EscalationFormView):
    form_class = forms.StageForm
    page_title = "Move to a later stage"
    success_message = "Stage recorded."

    def perform(self, form):
        return services.escalation_move(actor=self.request.user, escalation=self.record, **form.cleaned_data)


class EscalationResolve(EscalationFormView):
    form_class = forms.ResolveForm
    page_title = "Record the resolution"
    success_message = "Resolution recorded."

    def perform(self, form):
        return services.escalation_resolve(actor=self.request.user, escalation=self.record, **form.cleaned_data)


class EscalationLearning(EscalationFormView):
    form_class = forms.LearningForm
    page_title = "Raise learning in the learning log"
    success_message = "Action raised in the learning log."

    def perform(self, form):
        from jigsaw.actions.services import action_raise

        escalation = self.record
        action_raise(
            actor=self.request.user,
            partnership=self.partnership,
            description=form.cleaned_data["description"],
            source=escalation,
            due_on=form.cleaned_data["due_on"],
            themes=[escalation.theme] if escalation.theme_id else [],
        )
        return escalation


class SitePageList(PartnershipPage):
    """The public site's footer pages, for the business unit to write and keep up to date."""

    roles = frozenset({Role.BUSINESS_UNIT})
    template_name = "policies/site_pages.html"
    page_title = "Public site pages"

    def get_breadcrumbs(self):
        return [self.home_crumb(), (self.page_title, None)]

    def get_context_data(self, **kwargs):
        written = {
            page.kind: page for page in SitePage.objects.restrict(self.access).filter(partnership=self.partnership)
        }
        return {
            **super().get_context_data(**kwargs),
            "pages": [(kind, label, written.get(kind)) for kind, label in SitePageKind.choices],
        }


class SitePageEdit(ServiceFormMixin, ScopedObjectMixin, generic.FormView):
    model = SitePage
    roles = frozenset({Role.BUSINESS_UNIT})
    action = Action.CHANGE
    form_class = forms.SitePageForm
    success_message = "{object} saved and published."

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kind"] not in SitePageKind.values:
            from django.http import Http404

            raise Http404("No such page.")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return SitePageKind(self.kwargs["kind"]).label

    def get_initial(self):
        page = (
            SitePage.objects.restrict(self.access)
            .filter(partnership=self.partnership, kind=self.kwargs["kind"])
            .first()
        )
        return {"body": page.body if page else ""}

    def get_breadcrumbs(self):
        return [
            self.home_crumb(),
            ("Public site pages", self.partnership_url("policies:site-pages")),
            (self.get_page_title(), None),
        ]

    def perform(self, form):
        return services.site_page_save(
            actor=self.request.user, partnership=self.partnership, kind=self.kwargs["kind"], **form.cleaned_data
        )

    def get_success_url(self):
        return self.partnership_url("policies:site-pages")
