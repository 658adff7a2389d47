"""Pure renderings of `booking.rules.invoices.InvoiceDocument`: the A4 PDF a person reads
and the UBL file an accounting package reads.

Both are functions of the frozen document alone, so the two can never disagree and either
can be made again, years later, byte for byte from what was stored. They import only
`booking.rules` (and their rendering libraries), never Flask or the database: the service
that finalises an invoice builds the document and stores what these return.
"""
