"""The address a person types in a browser for a ``runserver`` address (``make run``'s ``ADDR``)."""

WILDCARDS = {"": "127.0.0.1", "0": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "[::1]", "::": "[::1]"}


def browser_url(addr: str) -> str:
    """``http://host:port`` for an address given as ``runserver`` takes it: ``PORT``, ``HOST:PORT`` or
    ``[IPv6]:PORT``. A wildcard host (listening everywhere) is printed as the loopback address."""
    addr = addr.strip()
    host, sep, port = addr.rpartition(":")
    if not sep:  # "8080": a port alone
        host, port = "", addr
    if host.count(":") and not host.startswith("["):  # a bare IPv6 host
        host = f"[{host}]"
    host = WILDCARDS.get(host, host)
    return f"http://{host}:{port}"
