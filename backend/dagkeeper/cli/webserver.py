"""``dagkeeper webserver``: the web API on gunicorn, N worker processes of a few threads each."""

from __future__ import annotations


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


def run(args) -> int:
    # Imported here: the master must load only the API, never DAG-file machinery.
    from gunicorn.app.base import BaseApplication

    from dagkeeper.api import create_app, gunicorn_conf

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
