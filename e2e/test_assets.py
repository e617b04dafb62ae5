"""Assets end to end: a producer's success triggers its consumer; the Assets page and lineage show it."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Page, expect

PARSE_TIMEOUT = 60
RUN_TIMEOUT = 90

PRODUCER = """
from dagkeeper import DAG, Asset
from dagkeeper.operators import PythonOperator

ORDERS = Asset("s3://e2e-lake/orders", extra={"owner": "sales"})

def write(outlet_events):
    outlet_events[ORDERS].extra["rows"] = 7

with DAG("asset_producer", schedule=None):
    PythonOperator(task_id="write_orders", python_callable=write, outlets=[ORDERS])
"""

CONSUMER = """
from dagkeeper import DAG, Asset
from dagkeeper.operators import EmptyOperator

with DAG("asset_consumer", schedule=[Asset("s3://e2e-lake/orders")], is_paused_upon_creation=False):
    EmptyOperator(task_id="report")
"""


def test_a_producer_triggers_its_consumer_and_the_assets_page_shows_the_lineage(stack, page: Page):
    stack.write_dag("asset_producer.py", PRODUCER)
    stack.write_dag("asset_consumer.py", CONSUMER)
    for dag_id in ("asset_producer", "asset_consumer"):
        stack.wait_for(lambda d=dag_id: stack.get(f"/api/v1/dags/{d}").status == 200,
                       PARSE_TIMEOUT, f"{dag_id} published")  # fmt: skip
    stack.request("PATCH", "/api/v1/dags/asset_consumer", body={"is_paused": False})
    reply = stack.request("POST", "/api/v1/dags/asset_producer/dagRuns", body={})
    assert reply.status == 201, reply.body

    def consumer_run():
        runs = stack.get("/api/v1/dags/asset_consumer/dagRuns").body["dag_runs"]
        return [r for r in runs if r["run_type"] == "asset_triggered" and r["state"] == "success"]

    run = stack.wait_for(consumer_run, RUN_TIMEOUT, "asset-triggered run of asset_consumer")[0]
    path = f"/api/v1/dags/asset_consumer/dagRuns/{run['run_id'].replace('+', '%2B')}"
    events = stack.get(path + "/upstreamAssetEvents").body["asset_events"]
    assert [(e["uri"], e["source_dag_id"], e["extra"]) for e in events] == [
        ("s3://e2e-lake/orders", "asset_producer", {"rows": 7}),
    ]

    page.goto(stack.base_url + "/")
    page.get_by_role("link", name="Assets").click()
    row = page.locator('[data-testid="asset-row"][data-uri="s3://e2e-lake/orders"]')
    expect(row.locator('[data-cell="producers"]')).to_have_text("asset_producer.write_orders")
    expect(row.locator('[data-cell="consumers"]')).to_have_text("asset_consumer")
    expect(row.locator('[data-cell="latest"]')).to_contain_text("by asset_producer")

    asset_id = stack.get("/api/v1/assets?uri_pattern=e2e-lake/orders").body["assets"][0]["id"]
    lineage = page.get_by_test_id("asset-lineage")
    for node, label in (("dag:asset_producer", "asset_producer"),
                        (f"asset:{asset_id}", "◆ s3://e2e-lake/orders"),
                        ("dag:asset_consumer", "asset_consumer")):  # fmt: skip
        drawn = lineage.locator(f'[data-testid="graph-node"][data-task-id="{node}"] text')
        expect(drawn).to_have_text(label, timeout=20_000)
    for edge in (f"dag:asset_producer->asset:{asset_id}", f"asset:{asset_id}->dag:asset_consumer"):
        expect(lineage.locator(f'[data-testid="graph-edge"][data-edge="{edge}"]')).to_have_count(1)

    row.get_by_role("link", name="s3://e2e-lake/orders").click()
    expect(page.get_by_role("heading", name="s3://e2e-lake/orders")).to_be_visible()
    event = page.get_by_test_id("asset-event")
    expect(event).to_have_count(1)
    expect(event.locator('[data-cell="source"]')).to_have_text("asset_producer.write_orders")
    expect(event).to_contain_text('{"rows":7}')

    page.goto(f"{stack.base_url}/dags/asset_consumer/grid?run_id={quote(run['run_id'])}&panel=run")
    triggered = page.get_by_test_id("run-asset-events")
    expect(triggered.locator("li")).to_have_count(1)
    expect(triggered.locator("li")).to_contain_text(
        "s3://e2e-lake/orders from asset_producer.write_orders"
    )
