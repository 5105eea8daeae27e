"""The partnership's public site: no sign-in, published material only.

Every page here declares roles = PUBLIC and reads through the scoping helper with the public's
access, whose scope rules return published records only, so a draft, a document out for
consultation or a withdrawn one cannot be reached whoever asks.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import feedgenerator
from django.views import generic

from jigsaw.core import throttles
from jigsaw.core.files import FileDownload
from jigsaw.core.generic import PUBLIC, PartnershipPage, ScopedObjectMixin
from jigsaw.core.publications import recent
from jigsaw.core.scoping import Action

from . import forms, queries, rendering, search, services
from .models import Attachment, Document, DocumentKind, SitePage, Topic

WHATS_NEW_ITEMS = 50  # the newest publications, whenever they were published
# Other apps' public pages, linked from the public home when their app is installed.
OTHER_PUBLIC_PAGES = [
    (
        "learning:public-briefings",
        "Learning briefings",
        "What reviews and audits have taught us, for every practitioner.",
    ),
    ("training:calendar", "Training calendar", "Multi-agency courses and how to book a place."),
    ("reports:public-list", "Annual reports", "The partnership's published annual reports."),
]


KIND_HEADINGS = {
    DocumentKind.PROCEDURE: "Procedures",
    DocumentKind.PRACTICE_GUIDANCE: "Practice guidance",
    DocumentKind.PROTOCOL: "Protocols",
    DocumentKind.TEMPLATE: "Templates",
    DocumentKind.THRESHOLD: "Threshold documents",
}


class PublicPage(PartnershipPage):
    roles = PUBLIC

    def public_crumbs(self, *more):
        return [(self.partnership.name, self.partnership_url("policies:public-home")), *more]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "public": True}


class PublicHome(PublicPage):
    template_name = "policies/public/home.html"

    def get_page_title(self):
        return self.partnership.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        links = []
        for name, label, description in OTHER_PUBLIC_PAGES:
            try:
                links.append((reverse(name, args=[self.partnership.slug]), label, description))
            except NoReverseMatch:
                continue  # that capability is not installed here
        context.update(links=links, latest=recent(self.partnership)[:5], search_form=forms.SearchForm())
        return context


class PublicProcedures(PublicPage):
    template_name = "policies/public/procedures.html"
    page_title = "Procedures and practice guidance"

    def get_breadcrumbs(self):
        return self.public_crumbs(("Procedures", None))

    def get_context_data(self, **kwargs):
        form = forms.SearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        documents = queries.public_documents(self.access)
        groups = [(label, [d for d in documents if d.kind == kind]) for kind, label in KIND_HEADINGS.items()]
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "query": query,
            "hits": search.search(self.access, query) if query else None,
            "groups": [g for g in groups if g[1]],
        }


class PublicDocument(ScopedObjectMixin, PublicPage):
    model = Document
    template_name = "policies/public/document.html"

    def get_object(self, queryset=None):
        # Published with a version in force, whoever asks (a signed-in editor sees drafts elsewhere).
        return get_object_or_404(
            queries.public_documents(self.access).select_related("current_version", "owning_group"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return self.document.title

    def get(self, request, *args, **kwargs):
        self.document = self.get_object()
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return self.public_crumbs(
            ("Procedures", self.partnership_url("policies:public-procedures")), (self.document.title, None)
        )

    def get_context_data(self, **kwargs):
        version = self.document.current_version
        return {
            **super().get_context_data(**kwargs),
            "document": self.document,
            "version": version,
            "body_html": rendering.render(version.body),
            "contents": rendering.headings(version.body),
            "attachments": version.attachments.all(),
        }


class PublicAttachment(FileDownload):
    model = Attachment
    roles = PUBLIC

    def get_record(self):
        return get_object_or_404(
            Attachment.objects.restrict(self.access.__class__.public(self.partnership), Action.VIEW).filter(
                version__document__current_version=F("version")
            ),
            pk=self.kwargs["pk"],
        )


class WhatsNew(PublicPage):
    template_name = "policies/public/whats_new.html"
    page_title = "What's new"

    def get_breadcrumbs(self):
        return self.public_crumbs(("What's new", None))

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "items": recent(self.partnership)[:WHATS_NEW_ITEMS],
            "topics": dict(Topic.choices),
        }


class PlainTextAtomFeed(feedgenerator.Atom1Feed):
    """Summaries are what people typed, not HTML: sent as Atom `text`, so a feed reader shows
    `<b>` as those three characters instead of decoding it into live markup."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"]:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class Feed(PublicPage):
    """The Atom feed of what's new."""

    def get(self, request, *args, **kwargs):
        home = request.build_absolute_uri(self.partnership_url("policies:public-home"))
        feed = PlainTextAtomFeed(
            title=f"{self.partnership.name}: what's new",
            link=home,
            description="Procedures, briefings, training and reports published by the partnership.",
            feed_url=request.build_absolute_uri(),
            language="en-gb",
        )
        for item in recent(self.partnership)[:WHATS_NEW_ITEMS]:
            url = request.build_absolute_uri(item.url)
            feed.add_item(
                title=item.title,
                link=url,
                description=item.summary,
                unique_id=f"{url}#{item.published_on.isoformat()}",
                updateddate=datetime.datetime.combine(item.published_on, datetime.time(9), tzinfo=datetime.UTC),
                categories=[item.kind],
            )
        return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


class Subscribe(PublicPage, generic.FormView):
    template_name = "policies/public/subscribe.html"
    form_class = forms.SubscribeForm
    page_title = "Subscribe to the newsletter"

    def get_breadcrumbs(self):
        return self.public_crumbs(("Newsletter", None))

    def form_valid(self, form):
        if throttles.NEWSLETTER.hit(throttles.client(self.request)):
            return throttles.NEWSLETTER.response(self.request)
        try:
            subscriber, token = services.subscribe(partnership=self.partnership, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        link = self.request.build_absolute_uri(reverse("policies:public-confirm", args=[self.partnership.slug, token]))
        send_mail(
            f"Confirm your subscription to {self.partnership.name}'s newsletter",
            f"Someone (we hope you) asked to get {self.partnership.name}'s newsletter at this address.\n\n"
            f"Confirm by opening this link within 7 days:\n{link}\n\nIf it was not you, ignore this email: nothing will be sent.\n",
            None,
            [subscriber.email],
        )
        return self.render_to_response(self.get_context_data(form=form, sent_to=subscriber.email))


class TokenPage(PublicPage):
    """Confirm or unsubscribe from an emailed link. A bad or expired link says so (and changes nothing)."""

    template_name = "policies/public/token.html"
    salt_action = None

    def get_breadcrumbs(self):
        return self.public_crumbs(
            ("Newsletter", self.partnership_url("policies:public-subscribe")), (self.page_title, None)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            context["subscriber"] = self.act(kwargs["token"], done=self.request.method == "POST")
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
        return context


class Confirm(TokenPage):
    page_title = "Confirm your subscription"

    def act(self, token, done):
        return services.subscription_confirm(partnership=self.partnership, token=token)


class Unsubscribe(TokenPage):
    """The link shows a button: an email scanner that opens links does not unsubscribe anyone."""

    page_title = "Unsubscribe"

    def post(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**kwargs, done=True))

    def act(self, token, done):
        if done:
            return services.unsubscribe(partnership=self.partnership, token=token)
        return services.unsubscribe_check(partnership=self.partnership, token=token)


class PublicSitePage(PublicPage):
    """A footer page (privacy notice, accessibility statement, cookies, contact) as the business unit wrote it."""

    template_name = "policies/public/site_page.html"

    def get(self, request, *args, **kwargs):
        self.site_page = get_object_or_404(
            SitePage.objects.restrict(self.access), partnership=self.partnership, kind=kwargs["kind"]
        )
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return self.site_page.get_kind_display()

    def get_breadcrumbs(self):
        return self.public_crumbs((self.get_page_title(), None))

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "site_page": self.site_page,
            "body_html": rendering.render(self.site_page.body),
        }
