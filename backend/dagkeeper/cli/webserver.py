"""``dagkeeper webserver``: the web API on gunicorn, N worker processes of a few threads each."""

from __future__ import annotations

import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser("webserver", help="serve the web API and UI with gunicorn")
    parser.add_argument("--workers", "-w", type=int, default=4, help="worker processes (4)")
    parser.add_argument("--bind", "-b", default="127.0.0.1:8080", help="address (127.0.0.1:8080)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (4)")
    parser.add_argument(
        "--worker-class", help="gunicorn worker class (default: dagkeeper's threaded worker)"
    )
    parser.add_argument("--timeout", "-t", type=int, default=30, help="worker timeout seconds (30)")
    parser.add_argument("--access-log", metavar="FILE", help='access log file ("-": stdout)')
    parser.set_defaults(handler=run)


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def is_loopback(bind: str) -> bool:
    """Whether only this machine can reach ``bind`` (host:port, [v6]:port or unix:path)."""
    if bind.startswith("unix:"):
        return True
    host = bind.rsplit(":", 1)[0] if ":" in bind else bind
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def refusal(bind: str) -> str | None:
    """Why the web server must not start on ``bind`` with this configuration, or None."""
    from dagkeeper.accounts.keys import weak_key_reason
    from dagkeeper.config import load_settings

    settings = load_settings()
    if is_loopback(bind) or not settings.auth:
        return None
    reason = weak_key_reason(settings.secret_key)
    if reason is None:
        return None
    return (
        f"refusing to serve {bind} beyond this machine: {reason}. Set a random"
        " DAGKEEPER_SECRET_KEY (32+ characters) for every process, or unset it to use"
        " the key `dagkeeper db migrate` stored in the database."
    )


def run(args) -> int:
    # Imported here: the master must load only the API, never DAG-file machinery.
    from gunicorn.app.base import BaseApplication

    from dagkeeper.api import create_app, gunicorn_conf

    if problem := refusal(args.bind):
        print(f"dagkeeper webserver: {problem}", file=sys.stderr)
        return 2

    class WebServer(BaseApplication):
        def load_config(self) -> None:
            for name in dir(gunicorn_conf):
                if name in self.cfg.settings and not name.startswith("_"):
                    self.cfg.set(name, getattr(gunicorn_conf, name))
            self.cfg.set("workers", args.workers)
            self.cfg.set("bind", [args.bind])
            self.cfg.set("threads", args.threads)
            if args.worker_class:
                self.cfg.set("worker_class", args.worker_class)
            self.cfg.set("timeout", args.timeout)
            if args.access_log:
                self.cfg.set("accesslog", args.access_log)

        def load(self):
            return create_app({"BIND": args.bind})  # its address is an allowed Host

    print(f"dagkeeper webserver: http://{args.bind}/ ({args.workers} workers)", flush=True)
    WebServer().run()
    return 0
