"""Params keep the order the DAG file declares them in, through the processor and the API."""

from dataclasses import replace

from dagkeeper.api import create_app
from dagkeeper.config import load_settings
from dagkeeper.processor.scan import scan

DAG = """
from datetime import datetime
from dagkeeper import DAG, Param
from dagkeeper.operators import EmptyOperator

with DAG("ordered", schedule=None, start_date=datetime(2024, 1, 1),
         params={"zeta": 1, "alpha": Param("a", type="string"), "mid": True}):
    EmptyOperator(task_id="t")
"""


def test_params_are_listed_in_declaration_order(db, dags_folder, monkeypatch):
    monkeypatch.setenv("DAGKEEPER_AUTH", "off")  # about params, not about who may read them
    (dags_folder / "ordered.py").write_text(DAG)
    scan(dags_folder)
    app = create_app({"DAGKEEPER": replace(load_settings(), auth=False)})  # about order, not login
    details = app.test_client().get("/api/v1/dags/ordered/details").json
    assert list(details["params"]) == ["zeta", "alpha", "mid"]
    assert [p["position"] for p in details["params"].values()] == [0, 1, 2]
