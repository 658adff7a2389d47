"""Use cases of running one house, the beheer pages: one module per concept.

- `access`: the one permission gate; every use case here starts by naming the right it
  needs in the house (`house_for`), so no caller can skip the check.
- `checks`: the pure checks several concepts share (lengths, ranges, quarter hours).
- `rooms`, `house_settings` (settings and opening hours), `closures`, `priority_blocks`
  (voorrangsblokken): the beheerder's writes, each with its pure checks.
- `house_bookings`: the beheerder's lists of a house's bookings; the actions on one
  booking (approve, reject, override, cancel) are booking use cases in
  `booking/services/bookings.py`.
- `audit_log`: the logboek of a house.

Every write opens the write transaction first (`begin_write`), checks the actor's right
and the rules, changes, records an audit entry and flushes; the request edge commits.
"""
