"""The masker both the runner and the API use: which names are secret, and what is hidden."""

from __future__ import annotations

from dagkeeper.config import child_environment
from dagkeeper.masking import MASK, SecretValues, looks_secret, mask_by_name, mask_params


def test_names_that_look_secret():
    for name in ("password", "DB_PASSWORD", "api_key", "API-KEY", "aws_secret_access_key",
                 "github_token", "Authorization", "private_key_pem"):  # fmt: skip
        assert looks_secret(name), name
    for name in ("name", "count", "target", "author", "keyboard", "mode"):
        assert not looks_secret(name), name


def test_more_secret_names_are_configurable(monkeypatch):
    assert not looks_secret("pin_code")
    monkeypatch.setenv("DAGKEEPER_SECRET_NAMES", "pin, salt")
    assert looks_secret("pin_code") and looks_secret("SALT")


def test_structured_values_are_masked_by_name_at_any_depth():
    conf = {"user": "ann", "password": "hunter22", "nested": {"api_key": "k-123456"},
            "list": [{"token": "t-123456"}], "empty_secret": ""}  # fmt: skip
    assert mask_by_name(conf) == {
        "user": "ann", "password": MASK, "nested": {"api_key": MASK},
        "list": [{"token": MASK}], "empty_secret": "",
    }  # fmt: skip
    params = mask_params({"db_password": {"default": "pw-1234"}, "n": {"default": 3}}.items())
    assert params == {"db_password": {"default": MASK}, "n": {"default": 3}}


def test_free_text_is_redacted_by_the_values_secret_names_held():
    secrets = SecretValues()
    secrets.add_secret_names(
        {"api_key": "k-123456", "name": "visible", "deep": {"token": "t-98765"}}
    )
    secrets.add_environment({"DAGKEEPER_DB_URL": "postgresql://app:pg-pass-1@db/prod"})
    secrets.add("abc")  # too short to mask everywhere
    text = "curl -H 'key: k-123456' t-98765 postgresql://app:pg-pass-1@db visible abc"
    assert (
        secrets.redact(text)
        == f"curl -H 'key: {MASK}' {MASK} postgresql://app:{MASK}@db visible abc"
    )
    assert secrets.redact_tree({"cmd": text, "password": "x"})["password"] == MASK


def test_children_see_no_private_dagkeeper_settings():
    env = {"DAGKEEPER_DB_URL": "sqlite:///x", "DAGKEEPER_SECRET_KEY": "k", "PATH": "/bin",
           "DAGKEEPER_DAGS_FOLDER": "/dags", "AWS_REGION": "eu"}  # fmt: skip
    assert child_environment(env) == {"PATH": "/bin", "DAGKEEPER_DAGS_FOLDER": "/dags",
                                      "AWS_REGION": "eu"}  # fmt: skip
