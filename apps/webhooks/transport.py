"""One POST to an endpoint, with the standard library: bounded in time, no redirects followed
(http.client never follows them), connected to the very addresses the guard checked."""

import http.client
import socket
import ssl
from dataclasses import dataclass

from apps.core import netguard


@dataclass
class Response:
    status: int
    preview: str  # the start of the body, for the delivery's error column


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name, not the address connected to.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(
    url: str, body: bytes, headers: dict[str, str], *, timeout: float, allow_private: bool
) -> Response:
    """POST `body`; raises netguard.UnsafeAddress for a refused URL, OSError (timeouts and
    refused connections included) or http.client.HTTPException when no answer came."""
    parts = netguard.parse_url(url)
    addresses = netguard.resolve(url, allow_private=allow_private)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    last_error: OSError | None = None
    for address in addresses:
        if parts.scheme == "https":
            connection = _PinnedHTTPSConnection(
                parts.hostname,
                port,
                address=address,
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = _PinnedHTTPConnection(
                parts.hostname, port, address=address, timeout=timeout
            )
        try:
            try:
                connection.connect()
            except OSError as exc:
                last_error = exc  # the host's next address may answer
                continue
            connection.request("POST", target, body=body, headers=headers)
            answer = connection.getresponse()
            preview = answer.read(1024).decode("utf-8", "replace")
            return Response(status=answer.status, preview=preview)
        finally:
            connection.close()
    raise last_error or OSError("no address to connect to")
