"""Importing the hierarchy from the spreadsheets users already keep (CSV or XLSX): the framework.

Each kind of file has an Importer (plan: check every row and say what changes; write: bulk writes
with history). ``services.import_plan``/``import_apply`` run them; the registry lists the kinds. Each
feature keeps its importer in its own ``imports.py``; the app configs register them.
"""
