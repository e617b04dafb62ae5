"""Render benchmark results as Markdown, beside the targets and Airflow 3.3.2's figures
(from ``../shared/PEERS.md``, or measured in the same sitting by ``bench.peers``)."""

from __future__ import annotations

from typing import Any

from bench import scale
from bench.triggerer import table

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
        *(
            [
                f"| cold parse, {result['cold_parse_many_files']:,} files "
                f"| {result['cold_parse_many_s']} s | ≤ 40 s (SQLite) | |"
            ]
            if "cold_parse_many_s" in result
            else []
        ),
        f"| unchanged re-scan (median of 5) | {result['unchanged_rescan_s']} s | ≤ 3 s | |",
        f"| watch: atomic save → committed, p50 / p99 over {result['watch_edits']} edits "
        f"| {result['watch_propagation_p50_ms']} / {result['watch_propagation_p99_ms']} ms "
        "| p99 ≤ 1 s | 12–18 s |",
        f"| watch: in-place save (3 chunks) → committed, p50 / p99 "
        f"| {result['in_place_propagation_p50_ms']} / {result['in_place_propagation_p99_ms']} ms "
        "| p99 ≤ 1 s | |",
        f"| watch: symlink swap (1,000 files, 10 differ) → committed, p50 / p99 over "
        f"{result['swaps']} swaps | {result['swap_visible_p50_ms']} / "
        f"{result['swap_visible_p99_ms']} ms | p99 ≤ 1 s | |",
        f"| re-scan of 10,000 unchanged files, watch mode / one-shot "
        f"| {result['rescan_10k_watch_s']} / {result['rescan_10k_one_shot_s']} s | < 1 s | |",
        "",
    ]


def _load(load: dict[str, Any]) -> str:
    if load["p50_ms"] is None:
        return f"none finished in {load['command'].split('-d')[1].split()[0]} | 0"
    return f"{load['p50_ms']} / {load['p99_ms']} ms | {load['rps']:,.0f}"


def _api(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "### API under load (`python -m bench --only api`; wrk, 8 connections, 4 workers)",
        "",
        "Cached: as clients send it, answered from the worker's response cache while nothing "
        "changed (steady state). Uncached: `Cache-Control: no-cache`, built from the database "
        "(each request right after a change).",
        "",
        "| endpoint | backend | DAGs | cached p50 / p99 | req/s | uncached p50 / p99 | req/s "
        "| size | target p50 | Airflow 3.3.2 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for key, label, target, peer in API_ROWS:
            load = result["endpoints"].get(key)
            if load is None:
                continue
            lines.append(
                f"| {label} | {result['backend']} | {result['dags']:,} | {_load(load['cached'])} "
                f"| {_load(load['uncached'])} | {_kb(load.get('bytes'))} | {target} | {peer} |"
            )
    lines += [
        "",
        "| web worker RSS | backend | DAGs | parse | idle | after load | target | Airflow 3.3.2 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        lines.append(
            f"| max of {len(result['rss_after_mb'])} workers | {result['backend']} "
            f"| {result['dags']:,} | {result['parse_seconds']} s | {max(result['rss_idle_mb'])} MB "
            f"| {max(result['rss_after_mb'])} MB | < 120 MB, flat in DAG count "
            "| 211 MB idle → 350–400 MB |"
        )
    example = results[0]["endpoints"]["dag_list"]["uncached"]["command"] if results else ""
    return [*lines, "", f"Reproduce: `python -m bench --only api`; one load: `{example}`", ""]


def _ceiling(load: dict[str, Any]) -> list[str]:
    return [
        f"The ceiling for cached figures: a trivial Flask route (no database, no auth) on the "
        f"same gunicorn settings and {load['workers']} workers: p50 {load['p50_ms']} ms, "
        f"{load['rps']:,.0f} req/s (`bench/ceiling.py`).",
        "",
    ]


def _scheduler(result: dict[str, Any]) -> list[str]:
    return [
        "### Scheduler (`python -m bench.scheduler`; local executor, SQLite)",
        "",
        "| measure | dagkeeper | target | Airflow 3.3.2 |",
        "|---|---|---|---|",
        f"| no-op tasks per second, {result['tasks']}-task fan-out "
        f"(parallelism {result['parallelism']}) | {result['tasks_per_second']} | ≥ 40 | 8–9 |",
        f"| fan-out run, queued → success | {result['fanout_run_seconds']} s | | |",
        f"| task queued → running, p50 / p99 | {result['queued_to_running_p50_ms']} / "
        f"{result['queued_to_running_p99_ms']} ms | | |",
        f"| 5-task chain, trigger → run success (median of 3) "
        f"| {result['chain5_trigger_to_success_seconds']} s | | 5–8 s |",
        "",
        f"Reproduce: `{result['command']}`",
        "",
    ]


def _scheduler_celery(legs: dict[str, Any]) -> list[str]:
    lines = [
        "### Scheduler with Celery (`python -m bench.scheduler`; Redis, workers on this machine)",
        "",
        "| workers | no-op tasks per second | target | queued → running p50 / p99 | 5-task chain |",
        "|---|---|---|---|---|",
    ]
    for leg, r in legs.items():
        lines.append(
            f"| {leg.replace('_', ' ')} | {r['tasks_per_second']} | ≥ 30 "
            f"| {r['queued_to_running_p50_ms']} / {r['queued_to_running_p99_ms']} ms "
            f"| {r['chain5_trigger_to_success_seconds']} s |"
        )
    return [*lines, ""]


def _longest(ms: int) -> str:
    return f"{ms} ms" if ms else "no long task"


def _browser(result: dict[str, Any]) -> list[str]:
    def row(label: str, key: str, target: str, peer: str) -> str:
        return (
            f"| {label} | {result[key + '_median_ms']:,} ms | {result[key + '_p99_ms']:,} ms "
            f"| {target} | {peer} |"
        )

    return [
        f"### Browser (Chromium, cold cache, {result['dags']:,} DAGs, {result['samples']} "
        "samples; navigation start → the app's performance mark)",
        "",
        f"| measure | median | p99 ({result['p99_note']}) | target | Airflow 3.3.2 |",
        "|---|---|---|---|---|",
        row("DAG list, first rows (`dk:list-rows`)", "list", "≤ 500 ms", "1.85 s"),
        row(
            "graph, 2,000 tasks laid out and drawn, groups collapsed (`dk:graph-drawn`)",
            "graph",
            "≤ 2 s",
            "9.2 s, unreadable strip",
        ),
        row("graph: expand all groups → 2,000 task nodes drawn", "graph_expand_all", "", ""),
        row("grid, 2,000 tasks × 25 runs (`dk:grid-drawn`)", "grid", "≤ 1 s", "4.15 s"),
        "",
        "| the next 3 s (worst sample) | after the graph is drawn | after expand all "
        "| Airflow 3.3.2 |",
        "|---|---|---|---|",
        f"| longest main-thread task (long tasks are > 50 ms) "
        f"| {_longest(result['after_graph_longest_task_ms_max'])} "
        f"| {_longest(result['after_expand_all_longest_task_ms_max'])} | |",
        f"| main thread busy | {result['after_graph_main_thread_busy_pct_max']} % "
        f"| {result['after_expand_all_main_thread_busy_pct_max']} % | a core busy |",
        f"| requestAnimationFrame round trip (two frames) "
        f"| {result['after_graph_raf_round_trip_ms_max']} ms "
        f"| {result['after_expand_all_raf_round_trip_ms_max']} ms | |",
        "",
        "| main JavaScript bundle | raw | gzip | Airflow 3.3.2 |",
        "|---|---|---|---|",
        f"| `{result['main_js']}` | {result['main_js_kb']:,} KB | {result['main_js_gzip_kb']:,} KB "
        "| 7.1 MB (2.1 MB gzip) |",
        f"| all JavaScript (lazy chunks included) | {result['all_js_kb']:,} KB "
        f"| {result['all_js_gzip_kb']:,} KB | |",
        "",
        f"Reproduce: `{result['command']}`",
        "",
    ]


def _auth(result: dict[str, Any]) -> list[str]:
    loads = result["loads"]
    lines = [
        f"### Cost of authentication ({result['dags']:,} DAGs, `{result['path']}`, SQLite, p50)",
        "",
        "| | auth off | session cookie | bearer token | cost (session / token) | target |",
        "|---|---|---|---|---|---|",
    ]
    for mode in ("cached", "uncached"):
        cost = result["cost_p50"]
        lines.append(
            f"| {mode} | {loads['off'][mode]['p50_ms']} ms | {loads['session'][mode]['p50_ms']} ms"
            f" | {loads['token'][mode]['p50_ms']} ms | {cost[f'session_{mode}_ms']} /"
            f" {cost[f'token_{mode}_ms']} ms | < {result['target_ms']} ms |"
        )
    timed, cost = result["in_process_ms"], result["in_process_cost"]
    lines += ["", "In process (Flask test client, median per request):", ""]
    lines += ["| | auth off | session (admin) | token (admin) | token (viewer in a team)"
              " | cost (session / token / viewer) |", "|---|---|---|---|---|---|"]  # fmt: skip
    for mode in ("cached", "uncached"):
        lines.append(
            f"| {mode} | {timed['off'][mode]} ms | {timed['session'][mode]} ms"
            f" | {timed['token'][mode]} ms | {timed['viewer_token'][mode]} ms"
            f" | {cost[f'session_{mode}_ms']} / {cost[f'token_{mode}_ms']} /"
            f" {cost[f'viewer_token_{mode}_ms']} ms |"
        )
    return [*lines, ""]


def _worker_model(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "### Web worker model, before and after issue 14 (`python -m bench --only worker_model`)",
        "",
        "4 sync workers (before) vs 4 threaded workers x 4 threads (after), same data, same run. "
        "Stale reads: reads that missed the write just made (16 concurrent per write, 20 writes).",
        "",
        "| endpoint | backend | model | cached p50 / p99 | req/s | uncached p50 / p99 | req/s "
        "| stale reads |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for model, measured in result["models"].items():
            for name, load in measured["endpoints"].items():
                lines.append(
                    f"| {name} | {result['backend']} | {model} | {_load(load['cached'])} "
                    f"| {_load(load['uncached'])} | {measured['stale_reads']} |"
                )
            idle = measured["with_idle_sockets"]["dag_details"]
            lines.append(
                f"| dag_details, 40 idle sockets held | {result['backend']} | {model} "
                f"| {_load(idle)} | | | |"
            )
    return [*lines, ""]


WIRE_ROWS = [  # (key in bench.api.endpoints, label)
    ("structure_2000", "structure, 2,000 tasks"),
    ("dag_list", "DAG list, 50 rows"),
    ("dag_list_filtered", "DAG list, 50 rows, tag filter + order"),
    ("grid_2000x25", "grid, 2,000 tasks × 25 runs"),
    ("dag_details", "DAG details"),
    ("task_instances_of_run", "task instances of one run (100)"),
    ("log", "one log fetch"),
]


def _header(*cells: str) -> list[str]:
    """A Markdown table's header row and its rule."""
    return ["| " + " | ".join(cells) + " |", "|---" * len(cells) + "|"]


def _wire(result: dict[str, Any]) -> list[str]:
    link = result["link"]
    lines = [
        f"### Bytes on the wire and page loads over a slow link ({result['dags']:,} DAGs, SQLite)",
        "",
        *_header("endpoint", "raw (identity)", "gzip", "br", "target (compressed)"),
    ]
    for key, label in WIRE_ROWS:
        sizes = result["bytes"][key]
        target = result["targets"].get(key)
        lines.append(
            f"| {label} | {sizes['identity']:,} B | {sizes['gzip']:,} B | {sizes['br']:,} B "
            f"| {'' if target is None else f'≤ {_kb(target)}'} |"
        )
    lines += [
        "",
        f"Chromium, fresh context per load, median of {result['samples']}: navigation start → "
        f"the app's mark; throttled = `Network.emulateNetworkConditions` "
        f"{link['downloadThroughput'] * 8 / 1e6:g} Mbit/s, {link['latency']} ms latency.",
        "",
        *_header("page", "loopback", "throttled", "received (throttled)",
                 "throttled, no compression", "received (no compression)"),
    ]  # fmt: skip
    for page, label in (("list", "DAG list"), ("graph", "graph, 2,000 tasks"),
                        ("grid", "grid, 2,000 × 25")):  # fmt: skip
        fast, slow = result["pages"][f"{page}_loopback"], result["pages"][f"{page}_throttled"]
        plain = result["pages"][f"{page}_throttled_plain"]
        lines.append(
            f"| {label} | {fast['median_ms']:,} ms | {slow['median_ms']:,} ms "
            f"| {slow['received_kb']:,} KB | {plain['median_ms']:,} ms | {plain['received_kb']:,} KB |"
        )
    return [*lines, "", f"Reproduce: `{result['command']}`", ""]


def _clean(result: dict[str, Any]) -> list[str]:
    lines = [
        "### `dagkeeper db clean` while the web server serves",
        "",
        *_header("backend", "rows deleted", "seconds", "rows/s",
                 *(f"{probe} p50 before → during (max)"
                   for probe in ("DAG list", "grid", "pause toggle"))),
    ]  # fmt: skip
    for r in result["results"]:
        cells = [
            f"{r['before'][probe]['p50_ms']} → {r['during'][probe]['p50_ms']} ms "
            f"({r['during'][probe]['max_ms']} ms)"
            for probe in ("dag_list", "grid_2000x25", "pause_toggle")
        ]
        lines.append(
            f"| {r['backend']} | {sum(r['deleted'].values()):,} | {r['seconds']} "
            f"| {r['rows_per_second']:,} | {' | '.join(cells)} |"
        )
    return [*lines, "", f"Reproduce: `{result['command']}`", ""]


def _triggerer(results: list[dict[str, Any]]) -> list[str]:
    return ["### Triggerer holding deferred sensors (`python -m bench --only triggerer`)", "",
            table(results)]  # fmt: skip


def _mapping(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "### A 10,000-way mapped task × 25 runs (`python -m bench --only mapping`; wrk, 4 workers)",
        "",
        "| backend | endpoint | cached p50 / p99 | req/s | uncached p50 / p99 | req/s |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        for name, load in result["endpoints"].items():
            lines.append(
                f"| {result['backend']} | {name} | {_load(load['cached'])} "
                f"| {_load(load['uncached'])} |"
            )
    return [*lines, ""]


def _scale(result: dict[str, Any]) -> list[str]:
    return [f"### {result['dags']:,} DAGs on PostgreSQL (`python -m bench --only scale`)", "",
            scale.table(result)]  # fmt: skip


def _times(worse: float, better: float, unit: str = "") -> str:
    """How many times ``better`` beats ``worse`` (below 1: it does not)."""
    return f"{worse / better:.1f}×{unit}" if better else ""


def _sharing(p: dict[str, Any]) -> str:
    """Whether other work shared the machine: the run's own servers and wrk raise the
    load by its end, so only the load before the run tells."""
    if p["load_average_before"][0] > 1.0:
        return "the machine was shared with other work; the absolute figures are inflated."
    return "the machine was quiet at the start; the load at the end is the run's own."


def _peers(p: dict[str, Any]) -> list[str]:
    """dagkeeper beside Apache Airflow in one sitting (``bench.peers``), with the ratio."""
    ours, peer = p["dagkeeper"], p["airflow"]
    lines = [
        f"### dagkeeper and Apache Airflow {p['airflow_version']}, same data, one sitting "
        f"(`{p['command']}`)",
        "",
        f"SQLite both; {p['workers']} web workers each (our gunicorn, Airflow's api-server); "
        f"wrk 8 connections, {p['seconds']} s per load; one client: p50 of sequential "
        "requests. Ours cached: answered from the worker's response cache (nothing changed); "
        "uncached: `Cache-Control: no-cache`. Ratio: Airflow's time ÷ ours uncached (rates: "
        f"ours uncached ÷ Airflow's). Load average {p['load_average_before']} before, "
        f"{p['load_average_after']} after ({p['minutes']} min): {_sharing(p)}",
        "",
        *_header("measure", "dagkeeper cached", "dagkeeper uncached or cold", f"Airflow {p['airflow_version']}",
                 "dagkeeper ahead by"),
        f"| cold parse of 1,002 DAG files | | {ours['parse_seconds']} s "
        f"| {peer['parse_seconds']} s | {_times(peer['parse_seconds'], ours['parse_seconds'])} |",
    ]  # fmt: skip
    for key, label in (("dag_list", "DAG list, 50 of 1,002"), ("structure", "structure, 2,000 tasks"),
                       ("grid", "grid, 2,000 tasks × 25 runs (Airflow: 3 calls)")):  # fmt: skip
        mine, theirs = ours[key], peer[key]["one_client"]
        lines.append(
            f"| {label}, one client p50 | {mine['cached']['p50_ms']} ms | "
            f"{mine['uncached']['p50_ms']} ms | {theirs['p50_ms']} ms "
            f"| {_times(theirs['p50_ms'], mine['uncached']['p50_ms'])} |"
        )
        lines.append(
            f"| {label}, bytes (identity) | | {_kb(mine['uncached']['bytes'])} "
            f"| {_kb(theirs['bytes'])} | {_times(theirs['bytes'], mine['uncached']['bytes'], ' smaller')} |"
        )
        if "wrk" in peer[key]:
            cached, uncached, load = mine["wrk_cached"], mine["wrk_uncached"], peer[key]["wrk"]
            lines.append(
                f"| {label}, wrk req/s (p50) | {cached['rps']:,.0f} ({cached['p50_ms']} ms) "
                f"| {uncached['rps']:,.0f} ({uncached['p50_ms']} ms) "
                f"| {load['rps']:,.0f} ({load['p50_ms']} ms) | {_times(uncached['rps'], load['rps'])} |"
            )
    lines += [
        f"| web worker RSS, idle → after load (max of {p['workers']}) | | "
        f"{max(ours['rss_idle_mb'])} → {max(ours['rss_after_mb'])} MB "
        f"| {max(peer['rss_idle_mb'])} → {max(peer['rss_after_mb'])} MB "
        f"| {_times(max(peer['rss_after_mb']), max(ours['rss_after_mb']), ' smaller')} |",
        f"| no-op tasks per second, {ours['fanout']['tasks']}-task fan-out, local executor "
        f"(Airflow: {peer['fanout']['tasks']} PythonOperator no-ops) | | "
        f"{ours['fanout']['tasks_per_second']} | {peer['fanout']['tasks_per_second']} "
        f"| {_times(ours['fanout']['tasks_per_second'], peer['fanout']['tasks_per_second'])} |",
        f"| fan-out run, queued → success | | {ours['fanout']['fanout_run_seconds']} s "
        f"| {peer['fanout']['fanout_run_seconds']} s "
        f"| {_times(peer['fanout']['fanout_run_seconds'], ours['fanout']['fanout_run_seconds'])} |",
        "",
        f"Airflow's URLs: DAG list `{peer['dag_list']['paths'][0]}`, structure "
        f"`{peer['structure']['paths'][0]}`, grid `{peer['grid']['paths'][0]}` + "
        f"`{peer['grid']['paths'][1]}` + `/ui/grid/ti_summaries/...?run_ids=...` (25 runs).",
        "",
    ]
    return lines


def markdown(results: dict[str, Any]) -> str:
    lines = [f"## Benchmarks ({results['started']}, {results['machine']['cpus']} cores)", ""]
    if "processor" in results:
        lines += _processor(results["processor"])
    if "api" in results:
        lines += _api(results["api"])
    if results.get("api_ceiling"):
        lines += _ceiling(results["api_ceiling"])
    if "auth" in results:
        lines += _auth(results["auth"])
    if "worker_model" in results:
        lines += _worker_model(results["worker_model"])
    if "scheduler" in results:
        lines += _scheduler(results["scheduler"])
    if "scheduler_celery" in results:
        lines += _scheduler_celery(results["scheduler_celery"])
    if "browser" in results:
        lines += _browser(results["browser"])
    if "wire" in results:
        lines += _wire(results["wire"])
    if "clean" in results:
        lines += _clean(results["clean"])
    if "triggerer" in results:
        lines += _triggerer(results["triggerer"])
    if "mapping" in results:
        lines += _mapping(results["mapping"])
    if "scale" in results:
        lines += _scale(results["scale"])

    if "peers" in results:
        lines += _peers(results["peers"])
    return "\n".join(lines)
