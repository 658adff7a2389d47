"""How long personal data of bookings and accounts is kept (issue 12, the AVG's storage limit).

Two rules, both measured on the Amsterdam calendar, both pure so they can be tested
without a database:

**Bookings.** The houses' stichtingen must keep their invoicing records for the fiscal
bewaarplicht (seven years, art. 52 AWR), counted from the end of the year the record
belongs to. So a booking keeps the personal data of its organiser until `years` full
calendar years have passed after the year in which it ended: a booking that ended on
10 March 2019 is scrubbed from 1 January 2027 on (with the default of seven years). The
cut-off is therefore always 1 January, local midnight, and a whole year is cleaned at
once, which is easy to explain on the privacy page and to check in a test.

**Accounts.** An account that has not been used for `months` calendar months is
*inactive*. Used means: logged in, or seen with a session or an API token that was still
open (someone who stays logged in and visits every week is not inactive). Accounts made
before the last login was recorded (migration 0008) have no last login; for them the
moment the account was made is the fallback, so an old account is never treated as used
yesterday, and never as older than it is.

An inactive account gets one notice; its owner keeps the rest of that day and
`NOTICE_DAYS` whole local days after it, and the account is deleted from the local midnight
that follows (the deletion day the mail names), unless the account was used after the
notice. Any use after the notice cancels it for good: the notice
counts only while it is newer than the last use, so a later inactivity starts a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from booking.rules.slots import AMSTERDAM, local_to_utc, require_aware

NOTICE_DAYS = 30
"""Days between the notice mail and the deletion: a constant, not a policy setting.

Thirty days is the period the issue names; it covers a holiday away from the mail, and
the account is not lost in between (one login keeps it). A municipality that wants a
longer or shorter inactivity period changes `account_inactivity_months`; the notice is
the same for everyone, so the mail and the privacy page can state it plainly.
"""


def _local_midnight(day: date) -> datetime:
    return local_to_utc(datetime.combine(day, time()))  # midnight never falls in a DST gap


def booking_cutoff(now: datetime, years: int) -> datetime:
    """Bookings that ended before this moment lose their personal data.

    1 January of the Amsterdam year `years` before this one, at local midnight, as UTC:
    everything of the year that ended `years` full years ago, and older, is done.
    """
    require_aware(now)
    return _local_midnight(date(now.astimezone(AMSTERDAM).year - years, 1, 1))


def inactivity_cutoff(now: datetime, months: int) -> datetime:
    """An account last used before this moment is inactive.

    Local midnight `months` calendar months before today in Amsterdam (31 May minus three
    months is 28 February, the end of the shorter month), as UTC: whole days, like the
    visit roll-up, so two runs on one day agree on who is inactive.
    """
    require_aware(now)
    today = now.astimezone(AMSTERDAM).date()
    return _local_midnight(today - relativedelta(months=months))


def last_use(created_at: datetime, *moments: datetime | None) -> datetime:
    """The latest of the moments the account was used; the creation when none is known."""
    known = [m for m in moments if m is not None]
    return max(known) if known else created_at


def deletion_day(noticed_at: datetime) -> date:
    """The local day from which a noticed account is deleted (the day the mail names).

    The notice day itself does not count, so the owner always has `NOTICE_DAYS` whole days.
    """
    require_aware(noticed_at)
    return noticed_at.astimezone(AMSTERDAM).date() + timedelta(days=NOTICE_DAYS + 1)


def deletion_moment(noticed_at: datetime) -> datetime:
    """Local midnight of the deletion day, as UTC: logging in before it keeps the account."""
    return _local_midnight(deletion_day(noticed_at))


def notice_pending(noticed_at: datetime | None, used_at: datetime) -> bool:
    """A notice counts while nobody used the account after it."""
    return noticed_at is not None and noticed_at > used_at


class Step(StrEnum):
    """What the retention job does with one account that has no staff role."""

    keep = "keep"  # used recently enough
    notify = "notify"  # inactive and not (or no longer) noticed: send the notice
    wait = "wait"  # noticed; the deletion day has not come yet
    delete = "delete"  # noticed, not used since, and the deletion day has come


@dataclass(frozen=True)
class AccountUse:
    """What the rule needs to know of one account."""

    used_at: datetime
    noticed_at: datetime | None


def step_for(account: AccountUse, now: datetime, months: int) -> Step:
    """The next step for an account without a staff role and without future bookings.

    Inactivity is judged first: an account used within the period (also when the period
    was lengthened after the notice) is kept and its notice no longer counts.
    """
    if account.used_at >= inactivity_cutoff(now, months):
        return Step.keep
    if not notice_pending(account.noticed_at, account.used_at):
        return Step.notify
    assert account.noticed_at is not None
    if now >= deletion_moment(account.noticed_at):
        return Step.delete
    return Step.wait
