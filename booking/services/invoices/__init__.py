"""Invoicing use cases (issue 13, DESIGN §14): a house's invoicing details, the monthly run
that gathers bookings into concept invoices, finalising with a gapless number, payments and
reminders, credit notes, the documents, and the waardeoverzicht of free initiatives.

Who may: the house's beheerders and the gemeente manage (`Permission.manage_invoices`); an
organisation's contacts, and a person invoiced in their own name, read their finalised
invoices; everyone else is answered 404."""
