"""The client's address, trusting X-Forwarded-For only from the configured reverse proxies.

Behind a proxy every request comes from the proxy's address: locking out by that address would
let anyone lock any user out. A forwarded address is believed only when the request arrives from
a proxy listed in ``VIGIA_TRUSTED_PROXIES`` (outermost first); otherwise anyone could forge it.
python-ipware checks the chain: the forwarded addresses followed by the peer's own address must
end with the trusted proxies, and the address before them is the client's.
"""

from __future__ import annotations

from django.conf import settings
from python_ipware import IpWare


def client_ip(request) -> str | None:
    peer = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").strip()
    if not settings.TRUSTED_PROXIES or not forwarded or not peer:
        return peer
    chain = {"HTTP_X_FORWARDED_FOR": f"{forwarded}, {peer}"}
    ip, trusted = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_list=settings.TRUSTED_PROXIES).get_client_ip(chain)
    return str(ip) if ip is not None and trusted else peer
