"""Render benchmark results as Markdown, beside the targets and Airflow 3.3.2's figures."""

from __future__ import annotations

from typing import Any

# (key in the api results, label, target p50 ms, Airflow 3.3.2 on the same machine kind)
API_ROWS = [
    ("dag_list", "DAG list, 50 rows", "≤ 8 ms (1,000) / ≤ 10 ms (10,000)", "p50 23 ms"),
    ("dag_list_filtered", "DAG list, 50 rows, tag filter + order", "same", ""),
    ("dag_details", "DAG details", "", ""),
    ("structure_2000", "structure, 2,000 tasks", "≤ 15 ms", "p50 97 ms, p99 518 ms, 1.0 MB"),
    ("grid_2000x25", "grid, 2,000 tasks × 25 runs", "≤ 150 ms", "1.86 s, 10.6 MB"),
    ("task_instances_of_run", "task instances of one run (100)", "", ""),
    ("log", "one log fetch", "", ""),
]


def _kb(size: int | None) -> str:
    return "" if size is None else f"{size / 1024:,.0f} KB"


def _processor(result: dict[str, Any]) -> list[str]:
    return [
        "### Processor (`python -m bench.processor`)",
        "",
        "| measure | dagkeeper | target | Airflow 3.3.2 |",
        "|---|---|---|---|",
        f"| cold parse, {result['files']} files (median of 3) | {result['cold_parse_s']} s "
        "| ≤ 20 s | 47.7 s |",
        f"| unchanged re-scan (median of 5) | {result['unchanged_rescan_s']} s | ≤ 3 s | |",
        f"| watch: saved → committed, p50 / p99 over {result['watch_edits']} edits "
        f"| {result['watch_propagation_p50_ms']} / {result['watch_propagation_p99_ms']} ms "
        "| p99 ≤ 1 s | 12–18 s |",
        "",
    ]


def _api(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "### API under load (`python -m bench --only api`; wrk, 8 connections, 4 workers)",
        "",
        "| endpoint | backend | DAGs | p50 | p99 | req/s | size | target p50 | Airflow 3.3.2 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for key, label, target, peer in API_ROWS:
            load = result["endpoints"].get(key)
            if load is None:
                continue
            lines.append(
                f"| {label} | {result['backend']} | {result['dags']:,} | {load['p50_ms']} ms "
                f"| {load['p99_ms']} ms | {load['rps']:,.0f} | {_kb(load.get('bytes'))} "
                f"| {target} | {peer} |"
            )
    lines += [
        "",
        "| web worker RSS | backend | DAGs | idle | after load | target | Airflow 3.3.2 |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        lines.append(
            f"| max of {len(result['rss_after_mb'])} workers | {result['backend']} "
            f"| {result['dags']:,} | {max(result['rss_idle_mb'])} MB "
            f"| {max(result['rss_after_mb'])} MB | < 120 MB, flat in DAG count "
            "| 211 MB idle → 350–400 MB |"
        )
    return [*lines, ""]


def _flat(title: str, result: dict[str, Any]) -> list[str]:
    lines = [f"### {title}", "", "| measure | value |", "|---|---|"]
    lines += [f"| {key} | {value} |" for key, value in result.items() if key != "command"]
    if "command" in result:
        lines += ["", f"Reproduce: `{result['command']}`"]
    return [*lines, ""]


def markdown(results: dict[str, Any]) -> str:
    lines = [f"## Benchmarks ({results['started']}, {results['machine']['cpus']} cores)", ""]
    if "processor" in results:
        lines += _processor(results["processor"])
    if "api" in results:
        lines += _api(results["api"])
    if "scheduler" in results:
        lines += _flat("Scheduler (`python -m bench.scheduler`)", results["scheduler"])
    if "browser" in results:
        lines += _flat("Browser (`python -m bench.browser`)", results["browser"])
    return "\n".join(lines)
