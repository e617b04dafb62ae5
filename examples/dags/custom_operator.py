"""A home-made operator: subclass ``BaseOperator``, declare ``template_fields``.

Every name in ``template_fields`` is rendered with Jinja before ``execute``
runs. Schedule: the ``@monthly`` preset.
"""

from datetime import datetime

from dagkeeper import DAG
from dagkeeper.operators import BaseOperator


class GreetOperator(BaseOperator):
    template_fields = ("name", "message")
    ui_color = "#ffefd5"

    def __init__(self, *, name: str, message: str = "Hello {{ params.who }}", **kwargs):
        super().__init__(**kwargs)
        self.name = name
        self.message = message

    def execute(self, context):
        text = f"{self.message}, {self.name}!"
        print(text)
        return text


with DAG(
    "example_custom_operator",
    schedule="@monthly",
    start_date=datetime(2024, 1, 1),
    params={"who": "world"},
    tags=["example"],
) as dag:
    GreetOperator(task_id="greet", name="{{ dag.dag_id }}") >> GreetOperator(
        task_id="greet_again", name="again", message="Goodbye {{ params.who }}"
    )
