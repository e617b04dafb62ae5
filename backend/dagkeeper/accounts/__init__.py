"""Accounts: users, passwords, teams, sessions and tokens, shared by the web API and the CLI.

The web API authenticates with these functions on every request and the
``dagkeeper users``/``tokens`` commands manage the same rows, so both agree on
every hash and rule. Nothing here keeps state between calls but the
per-process copy of the database's secret key.
"""
