"""The annual report in the home work queue: the newest report's stage and the sign-offs it waits for."""

from __future__ import annotations

from jigsaw.core.scoping import Role
from jigsaw.core.work import WorkItem

from .models import Report, ReportStatus
from .services import missing_sign_offs


def work(access, today):
    if not access.has_role(Role.BUSINESS_UNIT, Role.SCRUTINEER, Role.GROUP_CHAIR):
        return []
    report = (
        Report.objects.restrict(access).exclude(status=ReportStatus.PUBLISHED).order_by("-year", "-version").first()
    )
    if report is None:
        return []
    text = f"{report.title}, version {report.version}: {report.get_status_display().lower()}"
    if report.status == ReportStatus.IN_REVIEW:
        missing = missing_sign_offs(report)
        text += f"; waiting for sign-off by {', '.join(missing)}" if missing else "; signed off by all three partners"
    elif report.status == ReportStatus.SIGNED_OFF and access.has_role(Role.BUSINESS_UNIT):
        text += "; ready to publish"
    return [WorkItem("Annual report", text, "reports:report", args=(report.pk,))]
