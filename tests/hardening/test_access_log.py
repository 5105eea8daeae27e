"""The access log `jigsaw serve` writes (issue 19, finding 8): a real gunicorn on the suite's
database, in a module of its own (no module-wide World holding the database open)."""

from __future__ import annotations

import time

from jigsaw.core.access_log import redacted_path


def test_the_access_log_keeps_neither_query_strings_nor_codes(tmp_path, transactional_db):
    """Seen failing: booking and impact-survey codes and search terms were in the access log."""
    from tests.hardening.faults import LiveDatabase, Server, get, require_static_files

    require_static_files()
    live = LiveDatabase(tmp_path)
    live.publish()
    server = Server(live, tmp_path / "server.log", workers=1)
    try:
        for path in (
            "/durham/training/booking/BK-SECRET-CODE-1/",
            "/durham/training/impact/FU-SECRET-CODE-2/",
            "/durham/public/newsletter/confirm/NL-SECRET-TOKEN-3/",
            "/accounts/password-reset/MQ/PW-SECRET-TOKEN-4/",
            "/durham/public/procedures/?q=private+search+words",
            "/accounts/sign-in/?next=/secret-next/",
        ):
            get(server.url + path)
        time.sleep(1)
    finally:
        server.stop()
    log = (tmp_path / "server.log").read_text()
    lines = [line for line in log.splitlines() if '"GET ' in line]
    assert len(lines) >= 6, log
    for secret in ("SECRET", "private", "search", "secret-next"):
        assert secret not in log, secret
    assert any("/durham/training/booking/[redacted]/" in line for line in lines)


def test_redaction_finds_secrets_by_the_url_parameter_names():
    assert redacted_path("/durham/training/booking/ABC123/evaluate/") == "/durham/training/booking/[redacted]/evaluate/"
    assert redacted_path("/durham/training/impact/XYZ/") == "/durham/training/impact/[redacted]/"
    assert redacted_path("/durham/people/12/") == "/durham/people/12/"
