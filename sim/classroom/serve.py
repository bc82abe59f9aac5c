"""Starting the classroom: bind the socket first (a port in use is one clear line, exit 2),
prepare the engine, then serve the Dash app with Werkzeug on that socket, threaded, debug off.
Opens the browser unless told not to."""

from __future__ import annotations

import errno
import ipaddress
import socket
import webbrowser
from collections.abc import Callable

from sim.classroom.cards import LessonConfig
from sim.errors import GreensimError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or a GreensimError in one line."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return socket.create_server((host, port), family=family, backlog=64)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise GreensimError(f"port {port} on {host} is in use (another classroom or "
                                f"program); choose another with --port") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise GreensimError(f"port {port} on {host}: permission denied; use a port above "
                                f"1023") from None
        raise GreensimError(f"cannot listen on {host}:{port}: "
                            f"{exc.strerror or exc}") from None


def run_classroom(config: LessonConfig, *, host: str, port: int, lang: str,
                  open_browser: bool, echo: Callable[[str], None]) -> None:
    """Serve the classroom until Ctrl-C."""
    import logging

    from werkzeug.serving import make_server

    from sim.classroom.app import create_app
    from sim.classroom.engine import Engine

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    sock = bind(host, port)
    try:
        port = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{port}/"
        echo(f"preparing the township ({config.replicates} runs of each reference, the cards' "
             f"costs; a few seconds) ...")
        engine = Engine(config).prepare()
        app = create_app(engine, lang)
        server = make_server(host, port, app.server, threaded=True, fd=sock.fileno())
        echo(f"classroom at {url} (Ctrl-C to stop)")
        if open_browser:
            webbrowser.open(url)
        try:
            server.serve_forever()  # Werkzeug's returns on Ctrl-C
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
        echo("classroom stopped")
    finally:
        sock.close()


__all__ = ["bind", "is_loopback", "run_classroom"]
