"""``dagkeeper standalone``: migrate, then run processor, scheduler and web server together."""

from __future__ import annotations

import signal
import time


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "standalone", help="run the processor, scheduler and web server in one command"
    )
    parser.add_argument("--bind", default="127.0.0.1:8080", help="web server address")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn web workers")
    parser.set_defaults(handler=run)


def _wait_for_health(url: str, supervisor, timeout: float = 60.0) -> bool:
    """True once the web server answers, so the printed URL works when it is shown."""
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not supervisor.exited():
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            time.sleep(0.2)
    return False


def run(args) -> int:
    from dagkeeper import db
    from dagkeeper.accounts.users import create_first_admin
    from dagkeeper.config import load_settings, masked_db_url
    from dagkeeper.migrate import migrate
    from dagkeeper.supervisor import Supervisor, component_commands

    settings = load_settings()
    migrate(settings.db_url)
    with db.transaction() as s:
        first_admin = create_first_admin(s) if settings.auth else None
    supervisor = Supervisor(log_dir=settings.home / "logs")
    stopping = False

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for name, argv in component_commands(args.bind, args.workers).items():
        supervisor.start(name, argv)
    if not _wait_for_health(f"http://{args.bind}/api/v1/health", supervisor):
        supervisor.stop()
        print(f"The web server did not come up; see {settings.home / 'logs'}.")
        return 1
    print(f"dagkeeper is running: http://{args.bind}/  (DAG folder {settings.dags_folder})")
    print(
        f"Database {masked_db_url(settings.db_url)}; component logs in {settings.home / 'logs'}."
        " Ctrl-C stops."
    )
    if first_admin is not None:
        print(f"Log in as 'admin' with password {first_admin} (shown once; keep it).")
    elif settings.auth:
        print("Log in with your account (`dagkeeper users reset-password` sets a new password).")
    try:
        while not stopping:
            if dead := supervisor.exited():
                names = ", ".join(f"{c.name} (exit {c.process.returncode})" for c in dead)
                print(f"Stopping: {names} exited; see {settings.home / 'logs'}.")
                return 1
            time.sleep(0.5)
    finally:
        supervisor.stop()
    return 0
