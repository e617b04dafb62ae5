"""Variables and connections: read at parse time, in templates and in task code.

Works with nothing stored (every read has a default); add a variable
``example_tables`` (a JSON list) and a connection ``example_warehouse`` on the
Variables and Connections pages, or set ``DAGKEEPER_VAR_EXAMPLE_TABLES`` /
``DAGKEEPER_CONN_EXAMPLE_WAREHOUSE``, to see them used. The trigger form shows
the param keywords the peer's UI knows (labels, markdown help, formats).
Schedule: None (manual runs only).
"""

from datetime import datetime

from dagkeeper import DAG, Param, Variable
from dagkeeper.operators import BashOperator, PythonOperator
from dagkeeper.sdk import BaseHook

# Read while the file is parsed: one load task per table.
TABLES = Variable.get("example_tables", default_var=["users", "orders"], deserialize_json=True)


def describe_warehouse() -> dict:
    try:
        conn = BaseHook.get_connection("example_warehouse")
    except KeyError:
        return {"connected": False}
    # The password is masked in this task's log, and in the XCom shown by the UI.
    print(f"would connect to {conn.get_uri()}")
    return {"connected": True, "host": conn.host, "schema": conn.schema}


with DAG(
    "example_variables_and_connections",
    schedule=None,
    start_date=datetime(2024, 1, 1),
    tags=["example", "variables"],
    params={
        "region": Param(
            "eu", type="string", enum=["eu", "us"], title="Region",
            values_display={"eu": "Europe", "us": "United States"},
        ),
        "day": Param(
            "2024-01-31", type="string", format="date",
            description_md="The **business day** to load (`YYYY-MM-DD`).",
        ),
        "comment": Param(None, type=["null", "string"], examples=["backfill", "rerun"]),
    },
) as dag:
    warehouse = PythonOperator(task_id="describe_warehouse", python_callable=describe_warehouse)
    for table in TABLES:
        load = BashOperator(
            task_id=f"load_{table}",
            bash_command=(
                f"echo loading {table} for {{{{ params.region }}}} on {{{{ params.day }}}}"
                " into {{ var.value.get('example_schema', 'public') }}"
                " at {{ conn.get('example_warehouse').host if conn.get('example_warehouse') else 'nowhere' }}"
            ),
        )
        warehouse >> load
