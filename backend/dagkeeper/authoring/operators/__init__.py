"""The operators that ship with dagkeeper."""

from dagkeeper.authoring.operators.bash import BashOperator
from dagkeeper.authoring.operators.empty import EmptyOperator
from dagkeeper.authoring.operators.python import PythonOperator

__all__ = ["BashOperator", "EmptyOperator", "PythonOperator"]
