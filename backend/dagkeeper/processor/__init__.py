"""The DAG processor: finds DAG files, imports each in an isolated child, publishes to the DB.

The parent process never imports user code (DESIGN.md invariant 4); it only
reads files, starts children, and writes what they send back, one transaction
per file (invariant 2).
"""
