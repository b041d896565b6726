"""Keep-alive connections closed after a number of requests, so that workers stay balanced.

A connection stays with the worker of `msht serve` that accepted it for as long as it is kept
alive, and the kernel gives a new connection to a worker's socket by a hash of its addresses
(`msht.web.workers`): fifty clients can be split 30/20 by chance, and the busier worker's
clients then wait longer, for as long as they stay connected. A connection closed after some
requests is opened again, and hashed again, so an uneven split does not last. Apache closes
a keep-alive connection after 100 requests (`MaxKeepAliveRequests`), nginx after 1,000
(`keepalive_requests`); a closed connection costs a client one loopback or LAN handshake.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Requests a connection serves before the answer to the next says `Connection: close`.
REQUESTS_PER_CONNECTION = 100

#: Connections remembered at most; past it the counts start again (a connection that closed
#: by itself is never heard of again, and its count would otherwise stay for ever).
_REMEMBERED = 4096


class RecycleConnections:
    """ASGI middleware: the answer to a connection's `requests`-th request carries
    `Connection: close`, which the server honours by closing it after the answer (uvicorn
    does); a connection is known by its client's address and port."""

    def __init__(self, app: ASGIApp, requests: int = REQUESTS_PER_CONNECTION) -> None:
        if requests < 1:
            raise ValueError(f"requests per connection must be at least 1, not {requests}")
        self.app = app
        self.requests = requests
        self._served: dict[tuple[str, int], int] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request, counting it against its connection."""
        client = scope.get("client")
        if scope["type"] != "http" or client is None:
            await self.app(scope, receive, send)
            return
        key = (str(client[0]), int(client[1]))
        served = self._served.get(key, 0) + 1
        if served < self.requests:
            if len(self._served) >= _REMEMBERED and key not in self._served:
                self._served.clear()
            self._served[key] = served
            await self.app(scope, receive, send)
            return
        self._served.pop(key, None)

        async def closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"connection"
                ]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, closing)
