"""Benchmarks: ``make bench`` runs them; none of them is a timed test."""
