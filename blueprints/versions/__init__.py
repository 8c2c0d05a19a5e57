"""Versions of a blueprint (issue 5), in three modules:

- `snapshots`: numbered snapshots of the blueprint's content, taken on every submission
  for review and after every restore;
- `diff`: the difference between two snapshots, a pure function of two documents;
- `restore`: going back to a snapshot, through the services, as the current draft.

Nothing is re-exported here: `review.actions` imports `snapshots` alone.
"""
