"""The consultations app's pages, one module per page family: `ideas`, `consultations`
(a locality's consultations and their public link), `responses` (the team types in paper
responses), `results`, `exports` (CSV), and `public` (the response form reached by a
consultation's secret link, without logging in). `shared` holds what several of them use."""
