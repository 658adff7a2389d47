"""Use cases: one function each. Services flush; the edge (view, command, job) commits."""
