"""`flask jobs run|list` and `flask scheduler`: clear errors, Amsterdam by default, one process."""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from booking.jobs import JOBS, SCHEDULE, build_scheduler, run_in_app

PROJECT = Path(__file__).resolve().parents[2]


def test_jobs_list_names_every_job(runner):
    result = runner.invoke(args=["jobs", "list"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines()]
    assert names == [
        "confirm_provisional",
        "expire_requests",
        "send_outbox",
        "send_reminders",
        "rollup_visits",
        "send_request_digest",
        "retention",
        "invoice_run",
        "invoice_reminders",
    ]
    assert "elke 1 min" in result.output and "elke 6 uur" in result.output
    assert "elke 24 uur" in result.output


def test_an_unknown_job_lists_the_valid_names(runner):
    result = runner.invoke(args=["jobs", "run", "opruimen"])
    assert result.exit_code == 2
    assert "onbekende taak 'opruimen'" in result.output
    for name in JOBS:
        assert name in result.output


@pytest.mark.parametrize(
    "value", ["morgen", "2026-13-01T10:00", "1-12-2026 10:00", "", "2027-03-28T02:30"]
)
def test_a_malformed_now_is_a_clear_error_not_a_traceback(runner, value):
    result = runner.invoke(args=["jobs", "run", "confirm_provisional", "--now", value])
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--now'" in result.output
    assert "ISO 8601" in result.output or "bestaat niet in Europe/Amsterdam" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("given", "utc"),
    [
        ("2026-12-01T10:00", "2026-12-01T09:00:00+00:00"),  # winter: UTC+1
        ("2026-07-01T10:00", "2026-07-01T08:00:00+00:00"),  # summer: UTC+2
        ("2026-07-01T10:00:00+00:00", "2026-07-01T10:00:00+00:00"),
        ("2026-07-01T10:00Z", "2026-07-01T10:00:00+00:00"),
        ("2026-12-01", "2026-11-30T23:00:00+00:00"),  # a date: local midnight
    ],
)
def test_now_without_offset_means_amsterdam(runner, given, utc):
    result = runner.invoke(args=["jobs", "run", "expire_requests", "--now", given])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"[{utc}] expire_requests: 0 verlopen")


def test_jobs_need_an_aware_now(app):
    with app.app_context(), pytest.raises(ValueError):
        JOBS["confirm_provisional"](datetime(2026, 12, 1, 10, 0))


def test_the_scheduler_runs_every_job_on_a_utc_interval(app):
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    scheduler = build_scheduler(app, first_run=start)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == set(JOBS) == set(SCHEDULE)
    expected = {
        "confirm_provisional": 10,
        "expire_requests": 10,
        "send_outbox": 1,
        "send_reminders": 30,
        "rollup_visits": 360,
        "send_request_digest": 30,
        "retention": 24 * 60,
        "invoice_run": 60,
        "invoice_reminders": 360,
    }
    for name, job in jobs.items():
        assert isinstance(job.trigger, IntervalTrigger)
        assert job.trigger.interval == timedelta(minutes=expected[name])
        assert str(job.trigger.timezone) == "UTC"
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
        assert job.args == (app, name)
    assert str(scheduler.timezone) == "UTC"
    assert not scheduler.running  # building it starts nothing


def test_create_app_starts_no_scheduler(app):
    import threading

    assert not [t for t in threading.enumerate() if "APScheduler" in t.name]


def test_a_scheduled_run_logs_its_summary_and_survives_a_failure(app, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="buurthuis.jobs")
    summary = run_in_app(app, "confirm_provisional")
    assert summary is not None and summary.counts == {"bevestigd": 0}
    assert "confirm_provisional: 0 bevestigd" in caplog.text

    def broken(now):
        raise RuntimeError("database weg")

    monkeypatch.setitem(JOBS, "confirm_provisional", broken)
    assert run_in_app(app, "confirm_provisional") is None
    assert "confirm_provisional: mislukt" in caplog.text and "database weg" in caplog.text


@pytest.mark.real_commits  # the real command in its own process
@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_flask_scheduler_runs_the_jobs_and_stops_cleanly_on_sigterm(tmp_path):
    """The real command in its own process, on its own SQLite database."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'planner.sqlite'}",
        "BUURTHUIS_INSTANCE": str(tmp_path),
        "BUURTHUIS_ENV": "development",
        "SMTP_HOST": "",
        "PYTHONUNBUFFERED": "1",
    }
    for inherited in ("TEST_DB_URL", "PYTHONTRACEMALLOC"):
        env.pop(inherited, None)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run(
        [*flask, "db", "upgrade"],
        cwd=PROJECT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    lines: queue.Queue[str] = queue.Queue()
    with subprocess.Popen(
        [*flask, "scheduler"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        reader = threading.Thread(
            target=lambda: [lines.put(line) for line in process.stdout], daemon=True
        )
        reader.start()
        output = ""
        try:
            deadline = time.monotonic() + 120
            while "send_outbox:" not in output and time.monotonic() < deadline:
                with contextlib.suppress(queue.Empty):
                    output += lines.get(timeout=1)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        reader.join(timeout=10)
    while not lines.empty():
        output += lines.get()
    assert "Planner gestart" in output
    assert "confirm_provisional: 0 bevestigd" in output
    assert "send_outbox: 0 verzonden, 0 mislukt (SMTP_HOST is leeg" in output
    assert process.returncode == 0, output
    assert output.rstrip().endswith("Planner gestopt."), output
    assert "Traceback" not in output
