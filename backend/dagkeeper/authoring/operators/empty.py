"""``EmptyOperator``: a task that does nothing, for joins and markers in a graph."""

from typing import Any

from dagkeeper.authoring.baseoperator import BaseOperator


class EmptyOperator(BaseOperator):
    ui_color = "#e8f7e4"

    def execute(self, context: dict[str, Any]) -> None:
        return None
