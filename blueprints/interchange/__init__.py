"""A blueprint in other formats, and back: teams move blueprints between sites and keep
their data.

- `reader`: checks a JSON file and says what is wrong, where; touches no database.
- `json_export`: a blueprint as the JSON document `reader` reads (and, with ids, the
  snapshot a version keeps).
- `json_import`: a checked document written through `blueprints.services`.
- `csv_export`: the cards as CSV for spreadsheets.

Nothing is re-exported here; import the module that holds what you need.
"""
