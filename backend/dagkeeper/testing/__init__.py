"""Helpers for tests and benchmarks: throwaway databases and real processes."""
