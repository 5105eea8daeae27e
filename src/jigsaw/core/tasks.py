"""Pages that wait on a background task say so when no task worker has taken it.

`jigsaw serve` (and `make run`) start the worker beside the web server; a server started some
other way may have none, and a job queued there would wait for ever behind a progress bar.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

# A worker polls the queue every second; a job still untaken after this long has no worker.
NO_WORKER_AFTER = datetime.timedelta(seconds=20)


def waiting_without_worker(queued_at: datetime.datetime | None) -> bool:
    """Queued at `queued_at` and, this long after, still not started by any worker."""
    return queued_at is not None and timezone.now() - queued_at > NO_WORKER_AFTER
