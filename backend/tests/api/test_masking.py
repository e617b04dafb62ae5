"""API output hides values kept under secret-looking names: conf, params, default_args, rendered fields."""

from __future__ import annotations

from dagkeeper import db as database
from dagkeeper.masking import MASK
from dagkeeper.models import RenderedTaskFields, TaskInstance

from .factories import document, param, publish, task

RUNS = "/api/v1/dags/etl/dagRuns"


def test_a_runs_secret_conf_values_are_masked_everywhere_it_is_shown(client, data):
    conf = {"target": "x", "api_token": "tok-123456", "nested": {"password": "pw-123456"}}
    created = client.post(RUNS, json={"conf": conf, "run_id": "with_secrets"})
    assert created.status_code == 201
    expected = {"target": "x", "api_token": MASK, "nested": {"password": MASK}}
    assert created.json["conf"] == expected
    assert client.get(f"{RUNS}/with_secrets").json["conf"] == expected
    listing = client.get(RUNS).get_data(as_text=True)
    assert "tok-123456" not in listing and "pw-123456" not in listing


def test_secret_param_defaults_and_default_args_are_masked(client, db):
    doc = document("vault", params={"db_password": param("pw-param-1"), "n": param(3)},
                   tasks=[task("t")])  # fmt: skip
    doc["default_args"] = {"owner": "ann", "secret_key": "sk-default-1"}
    with database.transaction() as s:
        publish(s, doc)
    for path in ("/api/v1/dags/vault/details", "/api/v1/dags/vault/versions/1"):
        text = client.get(path).get_data(as_text=True)
        assert "pw-param-1" not in text and "sk-default-1" not in text, path
    details = client.get("/api/v1/dags/vault/details").json
    assert details["params"]["db_password"]["default"] == MASK
    assert details["params"]["n"]["default"] == 3
    assert details["default_args"] == {"owner": "ann", "secret_key": MASK}


def test_rendered_fields_stored_unmasked_by_an_older_runner_are_masked(client, data):
    with database.transaction() as s:
        ti = s.query(TaskInstance).filter_by(task_id="transform.clean", state="failed").one()
        s.get(
            RenderedTaskFields, (ti.id, ti.try_number)
        ).rendered = '{"bash_command": "echo", "env": {"API_KEY": "k-legacy-1", "HOME": "/root"}}'
    path = f"{RUNS}/scheduled__2024-01-02T00:00:00%2B00:00/taskInstances/transform.clean"
    assert client.get(path).json["rendered_fields"]["env"] == {"API_KEY": MASK, "HOME": "/root"}
