"""The build as a background task (django-tasks): the page polls the Build row for progress."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.utils import timezone
from django_tasks import task

from jigsaw.core import files as file_store

from .models import Build, BuildStatus

logger = logging.getLogger(__name__)


def output_dir_for(build: Build) -> str:
    report = build.report
    return f"reports/{report.partnership.slug}/{report.year}-v{report.version}/build-{build.pk}"


@task()
def run_build(build_id: int) -> str:
    from .build import BuildError, build_report

    build = Build._base_manager.select_related("report__partnership").get(pk=build_id)
    relative = output_dir_for(build)
    Build._base_manager.filter(pk=build_id).update(
        status=BuildStatus.RUNNING, started_at=timezone.now(), progress=1, step="Starting", output_dir=relative
    )

    def progress(percent: int, step: str) -> None:
        Build._base_manager.filter(pk=build_id).update(progress=percent, step=step[:200])

    try:
        # Built on this worker's disk, then put in the file store whole: any web server serves it.
        with tempfile.TemporaryDirectory(prefix="jigsaw-build-") as work:
            out = Path(work) / "out"
            output = build_report(build.report, out, progress=progress)
            for name in output.files:
                with (out / name).open("rb") as handle:
                    file_store.put(f"{relative}/{name}", File(handle, name=name))
    except file_store.Unavailable as error:
        logger.warning("Report build %s could not be stored: %s", build_id, error)
        Build._base_manager.filter(pk=build_id).update(
            status=BuildStatus.FAILED,
            finished_at=timezone.now(),
            error="The report was built but Jigsaw's file store did not answer, so it was not kept. Build it again.",
            step="Failed",
        )
        return "failed"
    except Exception as error:  # recorded for the person who asked: the build page says why
        if not isinstance(error, BuildError):
            logger.exception("Report build %s failed", build_id)
        Build._base_manager.filter(pk=build_id).update(
            status=BuildStatus.FAILED,
            finished_at=timezone.now(),
            error=str(error) or type(error).__name__,
            step="Failed",
        )
        return "failed"
    Build._base_manager.filter(pk=build_id).update(
        status=BuildStatus.SUCCEEDED,
        finished_at=timezone.now(),
        progress=100,
        step="Built",
        blocks=output.blocks,
        figures=output.figures,
    )
    return "succeeded"
