"""Mail, from the change that causes it to the server that delivers it (DESIGN section 9).

- `outbox`: write one rendered mail to the outbox, in the transaction of the change;
- `booking_mails`: what an organiser hears about their booking (booked, cancelled, ...);
- `job_mails`: what the scheduled jobs tell them (a lapsed request, a reminder);
- `build`: an outbox row as the exact bytes of a MIME message;
- `sender`: the job that delivers the outbox over SMTP, with its own commits.

Nothing here imports a use case: the mails are made from the models and the data the
caller passes in, so the booking services can import this package and not the other way.
"""
