"""Trigger conf is checked against type lists and formats; details serve the new keywords."""

import pytest

import dagkeeper.db

from .factories import document, param, publish

PARAMS = {
    "region": {**param("eu", ["null", "string"], position=0), "description_md": "**Where**",
               "values_display": {"eu": "Europe"}, "examples": ["eu", "us"]},
    "day": {**param("2024-01-01", "string", position=1), "format": "date"},
    "at": {**param(None, ["null", "string"], position=2), "format": "date-time"},
    "mail": {**param(None, ["string", "null"], position=3), "format": "email"},
}  # fmt: skip


@pytest.fixture
def keyword_dag(db):
    with dagkeeper.db.transaction() as s:
        publish(s, document("kw", params=PARAMS))


def test_details_serve_the_keywords(client, keyword_dag):
    params = client.get("/api/v1/dags/kw/details").json["params"]
    assert params["region"]["type"] == ["null", "string"]
    assert params["region"]["description_md"] == "**Where**"
    assert params["region"]["values_display"] == {"eu": "Europe"}
    assert params["day"]["format"] == "date"


@pytest.mark.parametrize(
    "conf, errors",
    [
        ({"region": None, "day": "2024-02-29", "at": "2024-01-01T10:00:00+00:00"}, None),
        ({"mail": "a@b.io"}, None),
        ({"region": 3}, {"conf.region": ["must be of type null or string"]}),
        ({"day": "29/02/2024"}, {"conf.day": ["must be a date (YYYY-MM-DD)"]}),
        ({"at": "tomorrow"}, {"conf.at": ["must be a date and time (ISO 8601)"]}),
        ({"mail": "nope"}, {"conf.mail": ["must be an email address"]}),
    ],
)
def test_trigger_checks_type_lists_and_formats(client, keyword_dag, conf, errors):
    response = client.post("/api/v1/dags/kw/dagRuns", json={"conf": conf})
    if errors is None:
        assert response.status_code == 201, response.json
    else:
        assert response.status_code == 400
        assert response.json["errors"] == errors
