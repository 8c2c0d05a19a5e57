"""The localities app's pages, one module per page family: `overview` (the list and a
locality's overview), `members`, `insights`, `challenges`, and `health` (/healthz)."""
