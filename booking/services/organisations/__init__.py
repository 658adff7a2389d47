"""Organisations that book through their contact persons (DESIGN section 14, issue 13).

One module per concept: `access` (who may see and change which organisation: its contacts,
and the staff with `Permission.manage_invoices` of a house it registered with or booked in;
the gemeente sees all), `details` (create and update, with the checks of the KvK number and
the billing address), `contacts` (add a contact by e-mail, remove one) and `namens` (the
organisation a booking is made on behalf of). Everything another user may not see answers
`NotFound`, so nobody learns which organisations exist.
"""
