"""Writes for reports: start one from the template, edit sections, comment, sign off, build,
publish and start a new version. Every write is validated and audited; a published version
can no longer change."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jigsaw.core.audit import attributed_to
from jigsaw.core.figures import registry
from jigsaw.core.periods import FinancialYear
from jigsaw.core.services import save

from .models import (
    LEAD_PARTNER_LABELS,
    LEAD_PARTNERS,
    Build,
    BuildStatus,
    Comment,
    Report,
    ReportStatus,
    Section,
    SignOff,
)
from .template import TEMPLATE, placement, template_sections


def _not_frozen(report: Report) -> None:
    if report.is_frozen:
        raise ValidationError(
            f"Version {report.version} is published and cannot change: start a new version to make changes."
        )


def report_create(*, actor, partnership, year: str, title: str = "") -> Report:
    """A new report for a year, starting with the template's sections and their data blocks."""
    try:
        label = FinancialYear.of(partnership, year).label
    except ValueError as error:
        raise ValidationError({"year": str(error)}) from error
    if Report.objects.filter(partnership=partnership, year=label).exists():
        raise ValidationError(
            {"year": f"There is already a report for {label}: open it, or start a new version of it."}
        )
    fy = FinancialYear.of(partnership, label)
    with transaction.atomic():
        report = save(
            Report(partnership=partnership, year=label, title=title or f"Annual Report {fy.title}"), actor=actor
        )
        for fields in template_sections(list(registry())):
            save(Section(report=report, **fields), actor=actor)
    return report


def report_update(*, actor, report: Report, **fields) -> Report:
    _not_frozen(report)
    return save(report, actor=actor, fields=fields)


def _touch(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(content_changed_at=timezone.now())


def section_create(*, actor, report: Report, **fields) -> Section:
    _not_frozen(report)
    with transaction.atomic():
        section = save(Section(report=report), actor=actor, fields=fields)
        _touch(report)
    return section


def section_update(*, actor, section: Section, **fields) -> Section:
    _not_frozen(section.report)
    with transaction.atomic():
        save(section, actor=actor, fields=fields)
        _touch(section.report)
    return section


def section_delete(*, actor, section: Section) -> None:
    _not_frozen(section.report)
    with transaction.atomic(), attributed_to(actor):
        _touch(section.report)
        section.delete()


def missing_template_blocks(report: Report) -> dict[int, list[str]]:
    """Registered blocks the template would place but no section of this report inserts yet
    (an app landed after the report was started): {section id: names}."""
    sections = list(report.sections.all())
    used = {name for section in sections for name in section.block_names}
    by_heading = {section.heading: section for section in sections}
    missing: dict[int, list[str]] = {}
    fallback = sections[-1] if sections else None
    for template_section, names in zip(TEMPLATE, placement(list(registry()))):
        target = by_heading.get(template_section.heading) or fallback
        new = [name for name in names if name not in used]
        if target is not None and new:
            missing.setdefault(target.pk, []).extend(new)
    return missing


def report_add_missing_blocks(*, actor, report: Report) -> int:
    """Insert every newly registered block into the section the template puts it in."""
    _not_frozen(report)
    added = 0
    with transaction.atomic():
        for section_id, names in missing_template_blocks(report).items():
            section = report.sections.get(pk=section_id)
            lines = "\n\n".join(f"{{{{ block {name} }}}}" for name in names)
            section_update(actor=actor, section=section, body=f"{section.body.rstrip()}\n\n{lines}\n")
            added += len(names)
    return added


def comment_add(*, actor, section: Section, body: str) -> Comment:
    if not (body or "").strip():
        raise ValidationError({"body": "Write your comment."})
    if section.report.is_frozen:
        raise ValidationError({"body": "This version is published: comment on the next version."})
    return save(Comment(section=section, author=actor, body=body.strip()), actor=actor)


def report_submit_for_review(*, actor, report: Report) -> Report:
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Only a draft can be sent for review.")
    return save(report, actor=actor, fields={"status": ReportStatus.IN_REVIEW})


def report_return_to_draft(*, actor, report: Report) -> Report:
    _not_frozen(report)
    with transaction.atomic():
        report.sign_offs.all().delete()  # a changed report needs signing again
        return save(report, actor=actor, fields={"status": ReportStatus.DRAFT})


def sign_off_record(*, actor, report: Report, lead_partner: str, person, signed_on: datetime.date) -> SignOff:
    """Record that a lead safeguarding partner signed the report off; with all three, it is signed off."""
    if report.status not in (ReportStatus.IN_REVIEW, ReportStatus.SIGNED_OFF):
        raise ValidationError({"lead_partner": "Send the report for review before recording sign-off."})
    if report.sign_offs.filter(lead_partner=lead_partner).exists():
        raise ValidationError(
            {
                "lead_partner": f"{LEAD_PARTNER_LABELS.get(lead_partner, lead_partner)} has already signed this version off."
            }
        )
    with transaction.atomic():
        sign_off = save(
            SignOff(report=report, lead_partner=lead_partner, person=person, signed_on=signed_on, recorded_by=actor),
            actor=actor,
        )
        if set(report.sign_offs.values_list("lead_partner", flat=True)) >= set(LEAD_PARTNERS):
            save(report, actor=actor, fields={"status": ReportStatus.SIGNED_OFF})
    return sign_off


def missing_sign_offs(report: Report) -> list[str]:
    signed = set(report.sign_offs.values_list("lead_partner", flat=True))
    return [LEAD_PARTNER_LABELS[role] for role in LEAD_PARTNERS if role not in signed]


def latest_good_build(report: Report) -> Build | None:
    return report.builds.filter(status=BuildStatus.SUCCEEDED).order_by("-finished_at", "-pk").first()


def report_publish(*, actor, report: Report) -> Report:
    """Publish the signed-off report with the figures of its latest build, frozen from now on."""
    missing = missing_sign_offs(report)
    if missing:
        raise ValidationError(
            f"All three lead safeguarding partners must sign off before publishing; waiting for: {', '.join(missing)}."
        )
    if report.status != ReportStatus.SIGNED_OFF:
        raise ValidationError("Only a signed-off report can be published.")
    build = latest_good_build(report)
    if build is None:
        raise ValidationError("Build the report before publishing it.")
    if report.content_changed_at and build.started_at and build.started_at < report.content_changed_at:
        raise ValidationError("A section changed after the last build: build the report again, then publish.")
    with transaction.atomic():
        return save(
            report,
            actor=actor,
            fields={
                "status": ReportStatus.PUBLISHED,
                "published_on": timezone.localdate(),
                "published_build": build,
            },
        )


def report_new_version(*, actor, report: Report) -> Report:
    """A draft copy of a published version, to change what was published."""
    if not report.is_frozen:
        raise ValidationError("Only a published version can be followed by a new version: change this one instead.")
    latest = Report.objects.filter(partnership=report.partnership, year=report.year).order_by("-version").first()
    if latest.pk != report.pk:
        raise ValidationError(f"Version {latest.version} already follows this one.")
    with transaction.atomic():
        new = save(
            Report(partnership=report.partnership, year=report.year, title=report.title, version=report.version + 1),
            actor=actor,
        )
        for section in report.sections.all():
            save(
                Section(
                    report=new,
                    order=section.order,
                    heading=section.heading,
                    body=section.body,
                    covers=list(section.covers),
                ),
                actor=actor,
            )
    return new


# A build takes under a minute; one "building" for longer than this had its worker stopped, and
# does not stop the report being built again.
BUILD_STOPPED_AFTER = datetime.timedelta(minutes=30)


def build_request(*, actor, report: Report) -> Build:
    """Queue a build of the report; the background task makes the documents."""
    from .tasks import run_build

    if report.is_frozen:
        raise ValidationError(
            f"Version {report.version} is published: its documents are kept as they were published. Start a new version to build again."
        )
    with transaction.atomic():
        # The report row locked, so two clicks at once see each other: the second gets the first's build.
        Report.objects.select_for_update().filter(pk=report.pk).first()
        pending = report.builds.filter(
            Q(status=BuildStatus.QUEUED)
            | Q(status=BuildStatus.RUNNING, started_at__gte=timezone.now() - BUILD_STOPPED_AFTER)
        ).first()
        if pending is not None:
            pending.already_requested = True
            return pending
        build = save(
            Build(report=report, requested_by=actor if getattr(actor, "is_authenticated", False) else None), actor=actor
        )
    result = run_build.enqueue(build.pk)
    build.refresh_from_db()
    if not build.is_finished and result.status == "FAILED":  # the backend could not run it at all
        Build.objects.filter(pk=build.pk).update(status=BuildStatus.FAILED, error="The build could not be started.")
        build.refresh_from_db()
    return build
