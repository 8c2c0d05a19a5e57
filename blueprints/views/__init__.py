"""Blueprint pages, one module per page family, each family with its `routes_*.py` where it
has routes under /localities/<slug>/blueprints/:

- `routes_pages`: `blueprint_pages` (list, create, edit, delete), `reading` (text view,
  history), `structure` (phases and lanes), `planning` (delivery challenges, prototypes);
- `routes_editor`: `editor` (the grid page and what its endpoints share), `cards` (add,
  edit, delete a card), `card_move`, `card_panel` (evidence and links); `card_markup` builds
  one card's HTML;
- `routes_exports`: `exports`; `routes_review`: `review`; `routes_versions`: `versions`;

plus `dashboard` (/), `portfolio` (/portfolio/) and `jobs`, which gather from every app, and
`base`, the shared access mixin."""
