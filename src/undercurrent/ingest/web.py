"""Fetching pages and feeds: timeouts, a size cap, few redirects, and no private addresses."""
from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from undercurrent.errors import FetchError, RefusedAddress

USER_AGENT = "Undercurrent/0.2 (+documentation of field reports)"
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
TIMEOUT_SECONDS = 20.0  # for the whole fetch, redirects and body included: a total deadline
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # redirects are followed by hand, each hop checked
        return None


class _Watchdog:
    """Shuts the sockets of one fetch down at its deadline: a socket timeout bounds each wait only,
    so a server dripping its headers (or body) byte by byte could hold a fetch for minutes."""

    def __init__(self, seconds: float) -> None:
        self.connections: list[http.client.HTTPConnection] = []
        self.fired = False
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def _fire(self) -> None:
        self.fired = True
        for conn in list(self.connections):
            if conn.sock is not None:
                try:
                    conn.sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _track(self, cls):
        def make(*args, **kwargs):
            conn = cls(*args, **kwargs)
            self.connections.append(conn)
            return conn

        return make

    def handlers(self) -> list[urllib.request.BaseHandler]:
        watchdog = self

        class Http(urllib.request.HTTPHandler):
            def http_open(self, req):
                return self.do_open(watchdog._track(http.client.HTTPConnection), req)

        class Https(urllib.request.HTTPSHandler):
            def https_open(self, req):
                # _context and _check_hostname are set by HTTPSHandler.__init__; typeshed does not declare them.
                return self.do_open(watchdog._track(http.client.HTTPSConnection), req,
                                    context=self._context,  # type: ignore[attr-defined]
                                    check_hostname=self._check_hostname)  # type: ignore[attr-defined]

        return [Http(), Https()]


def check_address(url: str, *, allow_private: bool) -> None:
    """Refuse loopback, private, link-local and other non-public targets unless allowed."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise RefusedAddress(f"only http and https URLs can be ingested, not {parts.scheme or 'no scheme'}", path=url)
    if not parts.hostname:
        raise RefusedAddress("URL has no host", path=url)
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve host {parts.hostname}: {exc.strerror}", path=url) from None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            raise RefusedAddress(
                f"{parts.hostname} resolves to {address}, a private, loopback or link-local address; "
                "use --allow-private to ingest from it", path=url)


def fetch(url: str, *, allow_private: bool = False, timeout: float = TIMEOUT_SECONDS,
          max_bytes: int = MAX_RESPONSE_BYTES, max_redirects: int = MAX_REDIRECTS) -> Fetched:
    """GET url within `timeout` seconds in all: a server dripping bytes once held a fetch 83 s
    against a 20 s timeout that applied to each read only."""
    with _Watchdog(timeout) as watchdog:
        try:
            fetched = _fetch(url, allow_private, timeout, max_bytes, max_redirects, watchdog)
        except FetchError:
            if watchdog.fired:
                raise _too_late(timeout, url) from None
            raise
    # The deadline's shutdown can reach http.client as an end of file (of the headers or the body): the
    # fetch then "succeeds" with a page cut short, which is no page.
    if watchdog.fired:
        raise _too_late(timeout, url)
    return fetched


def _fetch(url: str, allow_private: bool, timeout: float, max_bytes: int, max_redirects: int,
           watchdog: _Watchdog) -> Fetched:
    opener = urllib.request.build_opener(_NoRedirect, *watchdog.handlers())
    current = url
    deadline = time.monotonic() + timeout
    for _ in range(max_redirects + 1):
        check_address(current, allow_private=allow_private)
        request = urllib.request.Request(current, headers={"User-Agent": USER_AGENT})
        try:
            response = opener.open(request, timeout=_remaining(deadline, timeout, url))
        except urllib.error.HTTPError as exc:
            if exc.code in {301, 302, 303, 307, 308} and exc.headers.get("Location"):
                current = urllib.parse.urljoin(current, exc.headers["Location"])
                continue
            raise FetchError(f"HTTP {exc.code} {exc.reason}", path=url) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise FetchError(f"unreachable: {reason}", path=url) from None
        with response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"response of {int(declared)} bytes is over the {max_bytes}-byte limit", path=url)
            body = _read_body(response, deadline, timeout, max_bytes, url)
            return Fetched(current, body, response.headers.get("Content-Type", ""))
    raise FetchError(f"more than {max_redirects} redirects", path=url)


def _remaining(deadline: float, timeout: float, url: str) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _too_late(timeout, url)
    return left


def _too_late(timeout: float, url: str) -> FetchError:
    return FetchError(f"took longer than the {timeout:g} s limit for one fetch", path=url)


def _read_body(response, deadline: float, timeout: float, max_bytes: int, url: str) -> bytes:
    """The body in pieces as they come (read1), the deadline checked between pieces and each wait
    on the socket cut to the time that is left."""
    sock = getattr(getattr(getattr(response, "fp", None), "raw", None), "_sock", None)
    chunks: list[bytes] = []
    size = 0
    while True:
        left = _remaining(deadline, timeout, url)
        if sock is not None:
            sock.settimeout(left)
        try:
            chunk = response.read1(65536)
        except TimeoutError:
            raise _too_late(timeout, url) from None
        except OSError as exc:
            raise FetchError(f"unreachable: {exc}", path=url) from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"response is over the {max_bytes}-byte limit", path=url)
