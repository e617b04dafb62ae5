"""``dagkeeper convert``: rewrite the peer's import lines in DAG files to ours.

Only import statements change, and each keeps the lines it had, so a
traceback or an import error points at the same line as in the original
file. Names without an equivalent here are left in their original import
and reported, so the user knows exactly what is left to do.
"""

from dagkeeper.convert.imports import Unmapped, convert_source
from dagkeeper.convert.names import PEER_NAMES

__all__ = ["PEER_NAMES", "Unmapped", "convert_source"]
