"""The review of a blueprint (DESIGN section 1, step 9), in layers:

- `states`: the review states, the one table of moves between them (`RULES`), who may make
  each, the blueprint's row lock and the record of a move; and the return to draft of an
  approved blueprint whose content changes, which `blueprints.services` call. It imports
  only models and `localities.permissions`.
- `queries`: what pages read of the review (conversations, open comments per card, history).
- `notifications`: who hears of a move or a comment, by email, once the change commits.
- `actions`: the moves made with a button (submit, withdraw, request changes, approve); a
  submission snapshots the blueprint (`blueprints.versions`).
- `comments`: comments and replies, resolving and reopening conversations.

Nothing is re-exported here: importing the bottom layer must not load the layers above it.
"""
