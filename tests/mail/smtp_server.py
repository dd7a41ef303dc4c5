"""A real SMTP server for the tests: aiosmtpd on a free port of 127.0.0.1, keeping what it
receives. ``refuse_recipients`` makes it answer RCPT with a given reply (e.g. "550 …")."""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def html(self) -> str:
        return self.message.get_body(("html",)).get_content()


@dataclass
class Collector:
    received: list[Received] = field(default_factory=list)
    rcpt_reply: str | None = None  # e.g. "550 5.1.1 no such user" or "451 4.3.0 try later"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    collector: Collector

    @property
    def received(self) -> list[Received]:
        return self.collector.received

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_smtp_server() -> Iterator[SmtpServer]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(port=port, collector=collector)
    finally:
        controller.stop()


def self_signed_certificate(folder) -> tuple[str, str]:
    """A certificate for 127.0.0.1 and its key, as PEM files in ``folder`` (cert, key)."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    # Valid on any day: OpenSSL checks it against the machine's real clock, while the suite
    # may run as if it were another day (REHAB_TEST_NOW), so "now" would be the wrong anchor.
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        .not_valid_after(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


@contextlib.contextmanager
def running_tls_smtp_server(
    cert: str, key: str, *, implicit: bool, login: tuple[str, str] | None = None
) -> Iterator[SmtpServer]:
    """STARTTLS (required) or implicit TLS, with SMTP AUTH when ``login`` is given."""
    import ssl

    from aiosmtpd.smtp import AuthResult

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = login is not None and (auth_data.login.decode(), auth_data.password.decode()) == login
        return AuthResult(success=ok, handled=False)  # the server answers 235 or 535

    collector = Collector()
    port = free_port()
    # AUTH is offered on the connection whether or not aiosmtpd notices implicit TLS
    # (auth_require_tls would hide it there); a client that logs in is checked.
    options = {"authenticator": authenticator, "auth_require_tls": False}
    if implicit:
        controller = Controller(collector, hostname="127.0.0.1", port=port,
                                ssl_context=context, **options)  # fmt: skip
    else:
        controller = Controller(collector, hostname="127.0.0.1", port=port, tls_context=context,
                                require_starttls=True, **options)  # fmt: skip
    controller.start()
    try:
        yield SmtpServer(port=port, collector=collector)
    finally:
        controller.stop()
