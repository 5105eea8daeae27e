"""Demo records from the 2024/25 annual report: the twelve procedures the Multi-agency Policy and
Procedure group published or updated, the four local documents it reviewed, the serious and
organised abuse procedure reviewed after Operation Esdras, subscribers with one sent digest,
and a year of professional disagreements.

The bodies are short texts written for the demo, not the partnership's real procedures.
Everything goes through the services and is looked up by its natural key first.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.core.mail import get_connection

from jigsaw.core.demo import DOMAIN, DemoResult, loader
from jigsaw.core.models import Agency, Partnership, Person, Theme, User

from . import services, tasks
from .models import Digest, Document, DocumentKind, Escalation, SitePage, Subscriber, Topic


@dataclass(frozen=True)
class DemoDocument:
    title: str
    kind: str
    published: datetime.date  # the 2024/25 version
    what_changed: str
    purpose: str
    trigger: str = ""
    joint_partner: str = ""
    earlier: tuple[datetime.date, ...] = ()  # older versions' publication dates
    extra: dict = field(default_factory=dict)


D = datetime.date
PROCEDURE, GUIDANCE, PROTOCOL, TEMPLATE, THRESHOLD = (
    DocumentKind.PROCEDURE,
    DocumentKind.PRACTICE_GUIDANCE,
    DocumentKind.PROTOCOL,
    DocumentKind.TEMPLATE,
    DocumentKind.THRESHOLD,
)

# "This year has been especially busy, and the following have been published/updated" (section 4).
DOCUMENTS = [
    DemoDocument(
        "Child Protection Enquiries: Section 47 Children Act",
        PROCEDURE,
        D(2024, 5, 14),
        "Brought in line with Working Together to Safeguard Children 2023: who leads the strategy discussion and when health and education are invited.",
        "how agencies work together when there is reasonable cause to suspect a child is suffering, or likely to suffer, significant harm",
        trigger="Working Together to Safeguard Children 2023 (national guidance)",
        earlier=(D(2021, 9, 1),),
    ),
    DemoDocument(
        "Referrals",
        PROCEDURE,
        D(2024, 6, 3),
        "Clearer steps for making a referral to First Contact and for hearing back about the outcome.",
        "how any practitioner refers a concern about a child to children's social care",
        earlier=(D(2022, 3, 7),),
    ),
    DemoDocument(
        "Information Sharing",
        PROCEDURE,
        D(2024, 7, 22),
        "Updated for the 'Information Sharing: How we work in Durham' package and the national advice for practitioners.",
        "when and how practitioners share information to keep a child safe, and how to record the decision",
        trigger="Information sharing learning from local case reviews",
    ),
    DemoDocument(
        "Online Safety: Children Exposed to Abuse through the Digital Media",
        PROCEDURE,
        D(2024, 8, 19),
        "New sections on sextortion and on sharing nudes and semi-nudes.",
        "how to respond when a child is harmed, groomed or exploited online",
    ),
    DemoDocument(
        "Children from Abroad, including Victims of Modern Slavery, Trafficking and Exploitation",
        PROCEDURE,
        D(2024, 9, 9),
        "Updated National Referral Mechanism steps and the role of the Independent Child Trafficking Guardian.",
        "how to safeguard children who arrive from abroad, including children who may have been trafficked",
        earlier=(D(2021, 11, 15),),
    ),
    DemoDocument(
        "So Called Honour Based Abuse",
        PROCEDURE,
        D(2024, 10, 7),
        "Definitions updated and a single point of contact added in each agency.",
        "how to recognise and respond to abuse committed to protect or defend the perceived honour of a family",
    ),
    DemoDocument(
        "Forced Marriage",
        PROCEDURE,
        D(2024, 10, 7),
        "Reflects the raising of the minimum age of marriage to 18 and the Forced Marriage Unit's contact routes.",
        "how to respond when a child may be forced into marriage; never attempt mediation",
    ),
    DemoDocument(
        "Female Genital Mutilation",
        PROCEDURE,
        D(2024, 11, 4),
        "Mandatory reporting duty restated with a flowchart for regulated professionals.",
        "how to protect girls at risk of female genital mutilation and the mandatory duty to report known cases",
        earlier=(D(2022, 1, 10),),
    ),
    DemoDocument(
        "Safeguarding Children with a Social Worker, Children in Care and Children Previously in Care at School",
        PROCEDURE,
        D(2024, 12, 2),
        "The extended role of the Virtual School Head for children with a social worker.",
        "how schools, the Virtual School and social workers work together for children with a social worker",
    ),
    DemoDocument(
        "Child and Adolescent to Parent Violence and Abuse (CAPVA)",
        PROCEDURE,
        D(2025, 1, 13),
        "New procedure: recognising CAPVA, responding to parents and carers, and the support available in County Durham.",
        "how to recognise and respond to violence and abuse by a child or young person towards a parent or carer",
        trigger="Business plan priority work on child and adolescent to parent violence and abuse",
    ),
    DemoDocument(
        "Guidance for Safe recruitment, selection and retention for staff and volunteers",
        PROCEDURE,
        D(2025, 2, 10),
        "Online searches for shortlisted candidates and safer recruitment for volunteers in sports clubs.",
        "how organisations recruit, select and keep staff and volunteers safely",
        earlier=(D(2021, 6, 28),),
    ),
    DemoDocument(
        "Multi Agency Safeguarding Arrangements",
        PROCEDURE,
        D(2025, 3, 17),
        "The partnership's arrangements restated for Working Together 2023: lead safeguarding partners, delegated safeguarding partners and independent scrutiny.",
        "how the three statutory safeguarding partners and relevant agencies work together in County Durham",
        trigger="Working Together to Safeguard Children 2023 (national guidance)",
        earlier=(D(2022, 9, 29),),
    ),
    # "A number of local documents have been reviewed and updated in line with national and local learning".
    DemoDocument(
        "Durham Threshold guidance",
        THRESHOLD,
        D(2024, 6, 24),
        "Examples refreshed for each level of need, with a section on harm outside the home.",
        "the levels of need and the help a child and family can expect at each level",
        earlier=(D(2021, 4, 12),),
    ),
    DemoDocument(
        "Bruising in non-mobile child protocol",
        PROTOCOL,
        D(2024, 9, 30),
        "Applies to all non-independently mobile children, not only babies; clearer route to a paediatric assessment.",
        "what to do when bruising or a mark is seen on a child who is not independently mobile",
        trigger="National learning on bruising in non-mobile infants (horizon scanning)",
        earlier=(D(2022, 5, 16),),
    ),
    DemoDocument(
        "Multi-agency child protection conference template",
        TEMPLATE,
        D(2024, 11, 18),
        "Sections reordered around the Signs of Safety framework and the child's own words.",
        "the report each agency brings to an initial or review child protection conference",
    ),
    DemoDocument(
        "Childs Voice and lived experience guidance",
        GUIDANCE,
        D(2025, 2, 24),
        "Written with children from the Children in Care Council: what practitioners should consider to understand a child's world.",
        "capturing the voice and lived experience of the child in every assessment, plan and review",
        trigger="Golden thread: child's voice and lived experience",
    ),
]

# Reviewed after the report year's audit; published in 2025/26 so it is not in the report's list.
ESDRAS = DemoDocument(
    "Serious and Organised Abuse",
    PROCEDURE,
    D(2025, 5, 12),
    "Reviewed following the multi-agency audit of Operation Esdras: strategy discussions for several children at once and a single lead for communication.",
    "how agencies respond when several children may have been abused by one or more adults acting together",
    trigger="Operation Esdras multi-agency audit (Darlington), shared for Durham and Darlington",
    joint_partner="Darlington",
    earlier=(D(2022, 7, 4),),
)

MAPP_OWNER_EMAIL = f"business.unit@{DOMAIN}"


def _body(doc: DemoDocument, version: int) -> str:
    return (
        f"# Purpose\n\nThis {doc.get_kind_label().lower()} sets out {doc.purpose}. It applies to everyone who works or volunteers "
        f"with children in County Durham{' and Darlington' if doc.joint_partner else ''}.\n\n"
        "# What you should do\n\n"
        "- Keep the child in focus: speak to them, and record what they say in their own words.\n"
        "- Discuss your concern with your designated safeguarding lead or manager.\n"
        "- If a child is in immediate danger, call the police on 999.\n"
        "- If you disagree with another agency's decision, use the resolution of professional disagreements procedure.\n\n"
        "# Recording\n\nRecord what you saw and heard, what you decided and why, and who you told.\n\n"
        "# Related procedures\n\nThreshold guidance; Information Sharing; Referrals.\n\n"
        f"*Version {version}.*\n"
    )


DemoDocument.get_kind_label = lambda self: dict(DocumentKind.choices)[self.kind]


def _publish(
    actor, document: Document, doc: DemoDocument, on: datetime.date, number: int, what_changed: str, trigger: str = ""
) -> None:
    version = services.version_create(
        actor=actor, document=document, body=_body(doc, number), effective_on=on, what_changed=what_changed
    )
    if trigger:
        services.trigger_add(actor=actor, version=version, label=trigger)
    services.version_approve(actor=actor, version=version, approved_on=on - datetime.timedelta(days=14))
    services.version_publish(actor=actor, version=version, published_on=on)


@loader
def load_documents(partnership: Partnership, result: DemoResult) -> None:
    actor = User.objects.filter(email__iexact=MAPP_OWNER_EMAIL).first()
    owner = Person.objects.filter(partnership=partnership, email__iexact=MAPP_OWNER_EMAIL).first()
    for doc in [*DOCUMENTS, ESDRAS]:
        if Document.objects.filter(partnership=partnership, title=doc.title).exists():
            continue
        # The owning group defaults to the governance demo's MAPP group when it exists.
        document = result.add(
            "procedures",
            services.document_create(
                actor=actor,
                partnership=partnership,
                title=doc.title,
                kind=doc.kind,
                joint_partner=doc.joint_partner,
                owner=owner,
                summary=f"Sets out {doc.purpose}.",
            ),
        )
        number = 0
        for number, earlier in enumerate(doc.earlier, start=1):
            _publish(
                actor,
                document,
                doc,
                earlier,
                number,
                "First published by the partnership." if number == 1 else "Routine review.",
            )
        _publish(actor, document, doc, doc.published, number + 1, doc.what_changed, doc.trigger)


SUBSCRIBERS = [
    ("dsl.primary@school.example", ["procedures", "training"]),
    ("practice.lead@health.example", ["procedures", "learning briefings"]),
    ("volunteer.coordinator@sportsclub.example", ["training"]),
    ("parent.carer@home.example", ["learning briefings", "reports"]),
    ("team.manager@childrens.example", ["procedures", "learning briefings", "training", "reports"]),
    ("safeguarding@housing.example", ["procedures", "reports"]),
]


@loader
def load_newsletter(partnership: Partnership, result: DemoResult) -> None:
    for email, topics in SUBSCRIBERS:
        if not Subscriber.objects.filter(partnership=partnership, email=email).exists():
            subscriber, token = services.subscribe(partnership=partnership, email=email, topics=topics)
            services.subscription_confirm(partnership=partnership, token=token)
            result.add("newsletter subscribers", subscriber)
    subject = "DSCP newsletter: March 2025"
    if Digest.objects.filter(partnership=partnership, subject=subject).exists():
        return
    from .views import prefilled_body

    start, end = D(2025, 3, 1), D(2025, 3, 31)
    actor = User.objects.filter(email__iexact=MAPP_OWNER_EMAIL).first()
    digest = result.add(
        "newsletter digests",
        services.digest_create(
            actor=actor,
            partnership=partnership,
            subject=subject,
            period_start=start,
            period_end=end,
            topics=Topic.values,
            body="Welcome to this month's newsletter.\n\n" + prefilled_body(partnership, start, end, Topic.values),
        ),
    )
    # Sent with the dummy mail backend: the demo must never print or send real email.
    tasks.deliver_digest(
        digest,
        base_url="http://127.0.0.1:8000/",
        connection=get_connection("django.core.mail.backends.dummy.EmailBackend"),
    )


# A year of professional disagreements between the agencies the report names.
PAIRS = [
    ("Durham Schools (maintained and academies)", "Durham Children's Social Care", "Designated safeguarding lead"),
    ("County Durham and Darlington NHS Foundation Trust", "Durham Children's Social Care", "Health visitor"),
    ("Durham Constabulary", "Durham Children's Social Care", "Detective constable, child abuse investigation"),
    ("Durham Children's Social Care", "Tees, Esk and Wear Valleys NHS Foundation Trust", "Social worker"),
    ("Harbour", "Durham Constabulary", "Domestic abuse practitioner"),
    ("Durham Early Help", "Durham Children's Social Care", "Early help practitioner"),
    ("County Durham GP practices", "Durham Children's Social Care", "Named GP"),
    ("County Durham Youth Justice Service", "Durham Schools (maintained and academies)", "Youth justice officer"),
]
THEMES = [
    "Information sharing",
    "Neglect",
    "Domestic abuse",
    "Child exploitation",
    "Professional curiosity",
    "Voice of the child",
]
OUTCOMES = [
    "Agreed at a joint discussion between the practitioners.",
    "Managers agreed a strategy discussion would be held.",
    "Senior managers agreed the threshold was met; the referral was accepted.",
    "The independent scrutineer brought the agencies together; the plan was changed.",
]


@loader
def load_escalations(partnership: Partnership, result: DemoResult) -> None:
    if Escalation.objects.filter(partnership=partnership).exists():
        return
    agencies = {a.name: a for a in Agency.objects.filter(partnership=partnership)}
    themes = {t.name: t for t in Theme.objects.filter(partnership=partnership)}
    rng = random.Random(2425)
    for n in range(18):
        raising, receiving, role = PAIRS[n % len(PAIRS)]
        if raising not in agencies or receiving not in agencies:
            continue
        raised = D(2024, 4, 8) + datetime.timedelta(days=n * 19 + rng.randint(0, 6))
        # Most are settled between practitioners or managers; a few go further, one to the scrutineer.
        highest = rng.choices([1, 2, 3, 4], weights=[6, 6, 3, 1])[0] if n != 11 else 4
        escalation = result.add(
            "professional disagreements",
            services.escalation_create(
                actor=None,
                partnership=partnership,
                raising_agency=agencies[raising],
                receiving_agency=agencies[receiving],
                practitioner_role=role,
                child_reference=f"DSCP-C-{1000 + n * 37}",
                theme=themes.get(THEMES[n % len(THEMES)]),
                concern="Disagreement about the response to a referral and the level of need.",
                stage1_on=raised,
            ),
        )
        reached = raised
        for stage in range(2, highest + 1):
            reached = reached + datetime.timedelta(days=rng.randint(3, 12))
            services.escalation_move(actor=None, escalation=escalation, stage=stage, reached_on=reached)
        if n < 16:  # the last two of the year are still open
            services.escalation_resolve(
                actor=None,
                escalation=escalation,
                resolved_on=reached + datetime.timedelta(days=rng.randint(2, 15)),
                outcome=OUTCOMES[highest - 1],
            )


# The footer pages, as a partnership's business unit would first write them (Durham's own pages
# are not in the reference report, so these say what such pages say, and nothing that needs checking).
SITE_PAGES = {
    "privacy": """## Who we are

{name} is the statutory safeguarding partnership for {area}: the local authority, the police and the NHS integrated care board, working with schools, health services and the voluntary sector.

## What we hold and why

- Your email address, if you subscribe to the newsletter, to send it (you can unsubscribe from any issue).
- Your name, email address and organisation, if you book a training place, to run the course and ask how it went.

We use it for nothing else, keep booking records for six years after the course and then remove your name and email address.

## Your rights

You can ask to see, correct or delete what we hold about you. Write to the business unit (see [Contact](../contact/)).
""",
    "accessibility": """## Using this website

We want as many people as possible to use this website: you should be able to zoom in to 400% without the text spilling off the screen, navigate it with a keyboard or speech recognition software, and listen to it with a screen reader.

## How accessible this website is

The website is tested with automated accessibility checks against the Web Content Accessibility Guidelines version 2.2 AA standard on every page. Older documents (PDF and Word files of procedures) may not be fully accessible.

## Reporting problems

If you find a problem, or need a document in another format, tell the business unit (see [Contact](../contact/)). If you are not happy with how we respond, contact the Equality Advisory and Support Service (EASS).
""",
    "cookies": """## Cookies on this website

The public pages set no cookies unless you fill in a form: then one essential cookie (`csrftoken`) protects the form from being submitted by another website.

Partners who sign in get a session cookie (`sessionid`) that keeps them signed in, removed when they sign out or after two weeks.

We do not use analytics or advertising cookies.
""",
    "contact": """## If you are worried about a child

Do not contact the partnership business unit: call the numbers under "Worried about a child?" on the home page, or 999 if a child is in immediate danger.

## The business unit

For questions about procedures, training, the newsletter or this website, or to tell us how it could be better, email the business unit at [business.unit@durham.example](mailto:business.unit@durham.example) (a demo address).
""",
}


@loader
def load_site_pages(partnership: Partnership, result: DemoResult) -> None:
    actor = User.objects.filter(email__iexact=f"business.unit@{DOMAIN}").first()
    for kind, body in SITE_PAGES.items():
        if not SitePage.objects.filter(partnership=partnership, kind=kind).exists():
            result.add(
                "public site pages",
                services.site_page_save(
                    actor=actor,
                    partnership=partnership,
                    kind=kind,
                    body=body.format(name=partnership.name, area=partnership.area),
                ),
            )
