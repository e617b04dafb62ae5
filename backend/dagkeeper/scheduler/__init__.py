"""The scheduler: creates DAG runs, decides which task instances are ready, dispatches them.

It reads ``dag`` rows and stored DAG documents only and never imports a DAG
file (an import-linter contract keeps it that way). Every state change is a
short transaction that also calls ``record_change``.
"""
