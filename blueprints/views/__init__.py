"""Blueprint pages, one module per concern: `pages` (list, create, text view, history,
delivery challenges, prototypes), `editor` (the grid and its htmx endpoints), `exports`."""
