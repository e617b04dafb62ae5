"""What DAG files and tasks call at run or parse time that needs the database.

``dagkeeper.authoring`` never touches the database (an import-linter
contract); these accessors do, so they live here. The names match the peer's:
``Variable`` (``airflow.models.Variable``, ``airflow.sdk.Variable``),
``Connection`` (``airflow.models.Connection``, ``airflow.sdk.Connection``) and
``BaseHook`` (``airflow.hooks.base.BaseHook``, ``airflow.sdk.BaseHook``).
"""

from dagkeeper.sdk.connection import BaseHook, Connection
from dagkeeper.sdk.variable import Variable

__all__ = ["BaseHook", "Connection", "Variable"]
