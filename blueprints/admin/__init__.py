"""The admin, for innovation-unit reviewers who read every site (and superusers who fix).

Structure (which cell a card sits in, positions, which blueprint a record belongs to) is
read-only here: it changes through `blueprints.services`, which keeps positions dense and
versions current. Cards, challenges and prototypes are created in the blueprint editor.

One module per thing administered; importing them registers their ModelAdmins (Django's
autodiscovery imports this package):

- `base`: what every blueprint admin shares (saves through the services, the version the
  form was opened at, history without reverting);
- `blueprint`: blueprints, with their phases and lanes inline, as the review queue;
- `cards`; `delivery`: delivery challenges (with their questions) and prototypes (with
  their results and measures); `questions`: delivery questions and the starter library;
- `review`: the review actions and history; `comments`: the conversations;
- `versions`: snapshots; `grid_preview`: the read-only grid on a blueprint's page;
- `export_actions`: "Export selected as PDF"; `localities`: the Locality list with each
  site's progress (here, since localities imports neither of the other apps).

The lists are built for a national programme (issue 10, item 9; `manage.py bench admin`):
counts by subquery (`localities.admin.count_subquery`) rather than joins over every card,
no snapshot JSON read for a list, one count of the largest tables.
"""

from blueprints.admin import blueprint, cards, comments, delivery, localities, questions, versions

__all__ = ["blueprint", "cards", "comments", "delivery", "localities", "questions", "versions"]
