"""Exports of blueprints and localities: PDF (WeasyPrint), JSON (round trip) and CSV.

`data` reads what an export shows in a fixed number of queries; `pdf` renders it safely
(`fetcher` lets WeasyPrint read only the app's own static files), with a bound on size and
time, and caches blueprint PDFs; `jsonio` and `csvio` write and read the other formats.
"""

from blueprints.exports import guard

guard.install()
