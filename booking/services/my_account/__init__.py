"""My account: what every user can see and change of their own account (the AVG rights).

One module per concept: `profile` (name, organisation, language), `email_change` (a new
address, confirmed at that address), `sessions` (the signed-in browsers and API clients),
`tokens` (API tokens), `export` (download my data) and `deletion` (delete my account).
Each use case takes the actor and acts on the actor's own account only.
"""
