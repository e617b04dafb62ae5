"""Secrets never leave a process in clear: one masker for the runner, the API and logs.

A value is secret when the name it is kept under looks secret (``password``,
``token``, ``api_key``, ... plus the fragments in ``DAGKEEPER_SECRET_NAMES``),
as in Airflow's secrets masker. Two ways of hiding follow from that:

* by name, for structured data (a run's ``conf``, params, ``default_args``,
  rendered fields): the value under a secret name becomes ``***``;
* by value, for free text (task logs, rendered strings): the runner collects
  the values that secret names held (environment, conf, params) and replaces
  every occurrence of them; so does every process for the connection passwords
  and secret variables it handed out (:func:`remember_secret`).

Imported by the runner and the API alike, so it depends on nothing of ours
but the configuration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import Any

from dagkeeper.config import load_settings

MASK = "***"
DEFAULT_SECRET_NAMES = (
    "password", "passwd", "passphrase", "secret", "token", "api_key", "apikey",
    "access_key", "private_key", "credential", "authorization", "cookie", "session_key",
)  # fmt: skip
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words everywhere
URL_PASSWORD = re.compile(r"://[^:/@\s]+:([^@/\s]+)@")


@lru_cache(maxsize=8)
def _name_pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({*DEFAULT_SECRET_NAMES, *(w.lower() for w in extra)}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


def secret_name_pattern() -> re.Pattern[str]:
    return _name_pattern(load_settings().secret_names)


def looks_secret(name: object) -> bool:
    """True for names such as ``db_password``, ``API_TOKEN`` or ``aws-secret-key``."""
    normalized = str(name).lower().replace("-", "_")
    return secret_name_pattern().search(normalized) is not None


def mask_by_name(value: Any) -> Any:
    """A copy of ``value`` where every entry under a secret-looking key reads ``***``."""
    if isinstance(value, Mapping):
        return {
            key: MASK if looks_secret(key) and item not in (None, "") else mask_by_name(item)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [mask_by_name(item) for item in value]
    return value


def mask_params(params: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Stored params (``(name, {default, type, ...})`` pairs) with secret names' defaults masked."""
    masked = {}
    for name, param in params:
        param = dict(param)
        if looks_secret(name) and param.get("default") not in (None, ""):
            param["default"] = MASK
        masked[name] = param
    return masked


def _leaves(value: Any) -> Iterable[str]:
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _leaves(item)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from _leaves(item)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


class SecretValues:
    """The secret values one process knows of, replaced wherever they appear in text."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        # told each new value; a runner's task child passes them on to the runner this way
        self.forward: Callable[[str], None] | None = None

    def add(self, value: Any) -> None:
        """Remember ``value`` (or every leaf of a dict/list) as secret."""
        for leaf in _leaves(value):
            if len(leaf) >= MIN_SECRET_LENGTH and leaf not in self._values:
                self._values.add(leaf)
                self._pattern = None
                if self.forward is not None:
                    self.forward(leaf)

    def add_secret_names(self, mapping: Mapping[str, Any]) -> None:
        """Remember the values of ``mapping`` (recursively) that secret-looking names hold."""
        for key, item in mapping.items():
            if looks_secret(key):
                self.add(item)
            elif isinstance(item, Mapping):
                self.add_secret_names(item)

    def add_environment(self, environ: Mapping[str, str]) -> None:
        """Secret-named variables, and passwords inside URLs (``postgresql://u:pw@h/db``)."""
        self.add_secret_names(environ)
        for value in environ.values():
            self.add(URL_PASSWORD.findall(value))

    def values(self) -> list[str]:
        return sorted(self._values)

    def redact(self, text: str) -> str:
        if not self._values:
            return text
        if self._pattern is None:
            ordered = sorted(self._values, key=len, reverse=True)  # longest match first
            self._pattern = re.compile("|".join(re.escape(v) for v in ordered))
        return self._pattern.sub(MASK, text)

    def redact_tree(self, value: Any) -> Any:
        """``value`` masked by name, then every string in it redacted by value."""
        return self._redact_strings(mask_by_name(value))

    def _redact_strings(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, Mapping):
            return {key: self._redact_strings(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self._redact_strings(item) for item in value]
        return value


_HANDED_OUT = SecretValues()  # connection passwords and secret variables this process read


def process_secrets() -> SecretValues:
    """The secret values this process knows of; the runner adds the task's own to them."""
    return _HANDED_OUT


def remember_secret(value: Any) -> None:
    """Mask ``value`` (every leaf of a dict/list) wherever it appears later in this process."""
    _HANDED_OUT.add(value)


def mask_secrets(value: Any, key: str | None = None, secrets: Iterable[str] = ()) -> Any:
    """``value`` kept under ``key`` (a variable key, a field name), fit to show.

    Wholly masked when ``key`` looks secret; otherwise masked by name inside and
    every string redacted of the secrets this process handed out and of ``secrets``
    (stored ones the caller knows of, e.g. connection passwords for the web API).
    """
    if key is not None and looks_secret(key) and value not in (None, ""):
        return MASK
    known = _HANDED_OUT
    if secrets:
        known = SecretValues()
        known.add([*_HANDED_OUT.values(), *secrets])
    return known.redact_tree(value)
