"""Blueprint pages, one module per concern, each with its own `routes_*.py` where it has
routes under /localities/<slug>/blueprints/: `pages` and `planning` (list, create, text
view, history, structure, delivery challenges, prototypes), `editor` (the grid and its htmx
endpoints), `exports`, `review`, `versions`; plus `dashboard` (/) and `portfolio`
(/portfolio/), which gather from every app. `base` holds the shared access mixin."""
