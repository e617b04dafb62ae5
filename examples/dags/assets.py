"""Data-aware scheduling: a producer updates two assets; consumers run when their data changed.

``orders_report`` runs once both ``orders`` and ``customers`` were updated;
``orders_audit`` after each update of ``orders``; ``daily_snapshot`` (an ``@asset``)
every day, and ``snapshot_check`` after each snapshot. The Assets page shows them
and their lineage.
"""

from datetime import datetime

from dagkeeper import DAG, Asset, asset
from dagkeeper.operators import EmptyOperator, PythonOperator

ORDERS = Asset("file:///tmp/dagkeeper-lake/orders.csv", "orders", group="lake")
CUSTOMERS = Asset("file:///tmp/dagkeeper-lake/customers.csv", "customers", group="lake")


def load(outlet_events):
    outlet_events[ORDERS].extra["rows"] = 42
    print("loaded 42 orders and their customers")


with DAG("asset_producer", schedule=None, tags=["assets"]):
    PythonOperator(task_id="load", python_callable=load, outlets=[ORDERS, CUSTOMERS])

with DAG("orders_report", schedule=ORDERS & CUSTOMERS, tags=["assets"]):
    EmptyOperator(task_id="report")

with DAG("orders_audit", schedule=[ORDERS], tags=["assets"]):
    EmptyOperator(task_id="audit")


@asset("file:///tmp/dagkeeper-lake/snapshot", schedule="@daily", start_date=datetime(2024, 1, 1))
def daily_snapshot():
    print("snapshot taken")


with DAG("snapshot_check", schedule=[daily_snapshot], tags=["assets"]):
    EmptyOperator(task_id="check")
