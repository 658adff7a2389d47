"""People and roles (issue 12): inviting, giving and taking roles, (de)activating accounts.

The same use cases serve the gemeente's pages (`booking/gemeente/people.py`), the house
staff page of a beheerder or sociaal beheerder (`booking/beheer/staff.py`), the
invitation page (`booking/accounts/invitation_views.py`) and the operator's commands
(`booking/cli.py`). One module per concept:

- `access`: who may give or take which role where (the pure rule is
  `rules/staff_roles.py`); refusals of another house's people answer 404.
- `roles`: giving and taking roles; the last active gemeente account is never taken.
- `invitations`: the one-time link, valid seven days, mailed through the outbox.
- `activation`: deactivating (every session and API token ends at once) and reactivating.
- `directory`: the lists of people and of a house's staff.
- `operator`: `flask users create` and `flask users token`.

Every change writes an audit entry, and the person it concerns is told by mail.
"""
