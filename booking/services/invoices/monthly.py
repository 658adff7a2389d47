"""The invoice run for operators and the scheduler: every house with invoicing details, or
one named house, for a month.

The scheduled job runs the month just ended once per house (claimed in `job_run`, so two
schedulers or a restart never run it twice); the CLI runs whenever an operator asks, which
is harmless: a run adds only what is new."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from booking.database import begin_write
from booking.errors import NotFound
from booking.extensions import db
from booking.models import House, HouseInvoicing, JobRun
from booking.rules.slots import AMSTERDAM
from booking.services.invoices.runs import RunOutcome, run_house_month
from booking.services.invoicing import Month, previous_month

JOB = "invoice_run"


def _houses(slug: str | None) -> list[House]:
    query = (
        select(House)
        .join(HouseInvoicing, HouseInvoicing.house_id == House.id)
        .where(House.active.is_(True))
        .order_by(House.name)
    )
    if slug is not None:
        query = query.where(House.slug == slug)
    houses = list(db.session.scalars(query))
    if slug is not None and not houses:
        raise NotFound(slug)
    return houses


def run_houses(month: Month, *, house_slug: str | None, now: datetime) -> list[RunOutcome]:
    """Run `month` for one house (by slug) or every house that has invoicing details."""
    return [run_house_month(house, month, actor_id=None, now=now) for house in _houses(house_slug)]


def scheduled_run(now: datetime) -> list[RunOutcome]:
    """The month just ended, once per house."""
    begin_write()
    month = previous_month(now.astimezone(AMSTERDAM).date())
    outcomes = []
    for house in _houses(None):
        period = f"{house.id}:{month}"
        if db.session.get(JobRun, (JOB, period)) is not None:
            continue
        db.session.add(JobRun(job=JOB, period=period, started_at=now))
        outcomes.append(run_house_month(house, month, actor_id=None, now=now))
    return outcomes
