"""An extract-transform-load pipeline written with ``@task``, grouped by stage.

Return values pass from task to task; calling a task inside a ``TaskGroup``
puts it in that group. Schedule: the ``@daily`` preset.
"""

from datetime import datetime

from dagkeeper import TaskGroup, dag, task


@dag(
    schedule="@daily",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["example", "etl"],
)
def example_taskflow_etl():
    @task
    def extract(source: str) -> list[int]:
        return [1, 2, 3] if source == "orders" else [10, 20]

    @task
    def clean(rows: list[int]) -> list[int]:
        return [row for row in rows if row > 0]

    @task
    def total(orders: list[int], refunds: list[int]) -> int:
        return sum(orders) - sum(refunds)

    @task
    def load(amount: int) -> None:
        print(f"loading total {amount}")

    with TaskGroup("extract_stage", tooltip="read the raw sources"):
        orders = extract.override(task_id="orders")("orders")
        refunds = extract.override(task_id="refunds")("refunds")
    with TaskGroup("transform_stage", tooltip="clean and aggregate"):
        amount = total(clean(orders), clean(refunds))
    load(amount)


example_taskflow_etl()
