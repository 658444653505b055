"""Which webhook targets may be called: no internal addresses (SSRF), checked at registration and at send time.

A webhook URL is chosen by an administrator, but the request goes out from inside our network, so a
URL naming `127.0.0.1:8001`, `10.0.0.1` or the cloud metadata service would turn the delivery log into
a port scanner of our own hosts. `TargetPolicy` refuses:

- always: link-local addresses (`169.254.0.0/16`, `fe80::/10`) and cloud metadata services (by name
  and by address), the unspecified addresses (`0.0.0.0`, `::`, which reach the local host),
  multicast, broadcast and every reserved or special-purpose range (documentation, benchmarking,
  `240.0.0.0/4`, NAT64, the deprecated IPv4-compatible IPv6 form...);
- unless `allow_private` (WEBHOOK_ALLOW_PRIVATE_TARGETS=1, development and tests only): loopback
  (`127.0.0.0/8`, `::1`) and private networks (`10/8`, `172.16/12`, `192.168/16`, `100.64/10`,
  `fc00::/7`).

An address hidden in another form is judged as what it is: IPv4 numbers the C library accepts
(`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`), IPv4 inside IPv6 (`::ffff:127.0.0.1`, 6to4,
Teredo). A name is judged by every address it resolves to (one bad address refuses it all), and
`resolve()` returns the address checked, which the sender then connects to (no second lookup, so no
DNS rebinding between the check and the connection).
"""
from __future__ import annotations

import ipaddress
import re
import socket
from abc import ABC, abstractmethod
from dataclasses import dataclass
from urllib.parse import urlsplit

from shared.texts import Text

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_NAMES = frozenset({"metadata.google.internal", "metadata.goog", "metadata", "instance-data",
                            "instance-data.ec2.internal", "metadata.azure.internal"})
METADATA_ADDRESSES = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200", "168.63.129.16"))
LOOPBACK = tuple(ipaddress.ip_network(n) for n in ("127.0.0.0/8", "::1/128"))
PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                  "100.64.0.0/10", "fc00::/7"))
NUMBER = re.compile(r"0x[0-9a-f]*|[0-9]+")  # one label of an IPv4 address in inet_aton's forms
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class TargetRefused(Exception):
    """The URL's host is, or resolves to, an address webhooks may not be sent to."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Unresolvable(Exception):
    """The URL's host name does not resolve (now)."""


# --- resolving names: a port, so tests can say what a name resolves to -----------------------------

class AbstractResolver(ABC):
    @abstractmethod
    def addresses(self, host: str, port: int) -> list[IPAddress]:
        """Every address `host` resolves to; raises `Unresolvable` when there is none."""


class SystemResolver(AbstractResolver):
    """The C library's resolver (`getaddrinfo`), the one `requests` would have used."""

    def addresses(self, host: str, port: int) -> list[IPAddress]:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise Unresolvable(f"{host} does not resolve: {exc}") from exc
        # a scope id (fe80::1%eth0) is cut off: the address alone decides
        return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


# --- the policy -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """Where one delivery goes: the URL's host name and port, and the checked address to connect to."""

    host: str
    port: int
    address: IPAddress


@dataclass(frozen=True)
class TargetPolicy:
    resolver: AbstractResolver
    allow_private: bool = False

    def check_url(self, url: str) -> None:
        """At registration: refuse a URL whose host is a forbidden address or name, or resolves to one.
        A name that does not resolve now is accepted: the check at send time still applies."""
        host, port = _host_and_port(url)
        literal = literal_address(host)
        if literal is not None:
            self._judge(literal)
            return
        self._judge_name(host)
        try:
            addresses = self.resolver.addresses(host, port)
        except Unresolvable:
            return
        for address in addresses:
            self._judge(address)

    def resolve(self, url: str) -> Target:
        """At send time: the address to connect to, after checking every address the host resolves to.
        Raises `TargetRefused` or `Unresolvable`."""
        host, port = _host_and_port(url)
        literal = literal_address(host)
        if literal is not None:
            self._judge(literal)
            return Target(host, port, literal)
        self._judge_name(host)
        addresses = self.resolver.addresses(host, port)
        if not addresses:
            raise Unresolvable(f"{host} does not resolve")
        for address in addresses:
            self._judge(address)
        return Target(host, port, addresses[0])

    def refusal(self, address: IPAddress) -> str | None:
        """Why webhooks may not go to `address`, or None when they may."""
        inner = embedded_ipv4(address)
        if inner is not None:
            return self.refusal(inner)
        if address in METADATA_ADDRESSES:
            return Text("a cloud metadata address")
        if address.is_unspecified:
            return Text("an unspecified address (it reaches this host)")
        if address.is_link_local:
            return Text("a link-local address")
        if address.is_multicast:
            return Text("a multicast address")
        if any(address in network for network in LOOPBACK):
            return None if self.allow_private else Text("a loopback address")
        if any(address in network for network in PRIVATE):
            return None if self.allow_private else Text("a private address")
        if address.is_reserved or not address.is_global:
            return Text("a reserved or special-purpose address")
        return None

    def _judge(self, address: IPAddress) -> None:
        reason = self.refusal(address)
        if reason:
            raise TargetRefused(Text("The webhook host is or resolves to {reason}.", reason=reason))

    @staticmethod
    def _judge_name(host: str) -> None:
        if host in METADATA_NAMES:
            raise TargetRefused("The webhook host is a cloud metadata service.")
        if NUMBER.fullmatch(host.rsplit(".", 1)[-1]):
            # no top-level domain is a number: this is an address that inet_aton does not read (999999999999)
            raise TargetRefused("The webhook host looks like a number but is not a valid address.")


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as an address stands for, in any form the C library accepts; `localhost`
    names are the loopback whatever DNS says (RFC 6761)."""
    if host == "localhost" or host.endswith(".localhost"):
        return ipaddress.ip_address("127.0.0.1")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    if all(NUMBER.fullmatch(label) for label in host.lower().split(".")):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries and reaches (mapped, 6to4, Teredo client, NAT64)."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()  # urlsplit drops [] around IPv6 and lowercases
    if not host:
        raise TargetRefused("The webhook URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise TargetRefused("The webhook URL's port is not valid.") from exc
    return host, port
