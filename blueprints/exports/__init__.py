"""Exports of blueprints and localities as PDF (WeasyPrint); JSON and CSV are in
`blueprints.interchange`.

`data` reads what an export shows in a fixed number of queries; `pdf` renders it safely
(`fetcher` lets WeasyPrint read only the app's own static files), with a bound on size and
time, and caches blueprint PDFs; `report` is the locality report, built on `pdf`.
"""

from blueprints.exports import guard

guard.install()
