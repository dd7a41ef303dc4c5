"""Building a MIME message and handing it to the SMTP server.

The standard library's ``email`` and ``smtplib``, on purpose: they build multipart/alternative
messages with correct header and body encodings and speak STARTTLS, implicit TLS and SMTP
AUTH, and they come with Python. The usual Flask mail packages are thin wrappers around these
same modules, and none of them queues or retries; that part is ours (rehab.mail.delivery),
so a wrapper would add a dependency and take nothing off our hands.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr

from flask import current_app

from rehab.mail.messages import Rendered


def smtp_configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def sender_for(clinic_name: str) -> str:
    """The configured sender's address, with the clinic's name in front of it."""
    name, address = parseaddr(current_app.config["MAIL_SENDER"])
    display = f"{clinic_name} · {name}" if name else clinic_name
    return formataddr((display, address or "noreply@localhost"))


def build_message(rendered: Rendered, *, to: str, clinic_name: str, locale: str) -> EmailMessage:
    message = EmailMessage()
    sender = sender_for(clinic_name)
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    # RFC 3834: machine-made mail; out-of-office replies should not answer it.
    message["Auto-Submitted"] = "auto-generated"
    for name, value in rendered.headers.items():
        message[name] = value
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    message["Content-Language"] = locale  # after the body: set_content clears Content-*
    return message


class SendFailure(Exception):
    """Why the server did not take the message: a code (rehab.mail.models.MAIL_ERRORS) and
    whether trying again later can help."""

    def __init__(self, code: str, permanent: bool, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.permanent = permanent


def send(message: EmailMessage) -> None:
    """Hand ``message`` to the configured server; raises SendFailure when it is not taken."""
    config = current_app.config
    host, port, timeout = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_TIMEOUT"]
    security = config["SMTP_SECURITY"]
    # Certificates and host names are always checked; only the trusted CAs can be chosen.
    context = ssl.create_default_context(cafile=config.get("SMTP_CA_FILE"))
    try:
        if security == "tls":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if security == "starttls":
                client.starttls(context=context)
            if config.get("SMTP_USERNAME"):
                client.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD") or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise SendFailure("refused", all(c >= 500 for c in codes), str(codes)) from error
    except smtplib.SMTPAuthenticationError as error:
        raise SendFailure("login", False, str(error.smtp_code)) from error
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        permanent = error.smtp_code >= 500
        code = "rejected" if permanent else "temporary"
        raise SendFailure(code, permanent, str(error)) from error
    except smtplib.SMTPResponseException as error:
        raise SendFailure("temporary", False, f"{error.smtp_code} {error.smtp_error!r}") from error
    except TimeoutError as error:
        raise SendFailure("timeout", False, str(error)) from error
    except (OSError, smtplib.SMTPException) as error:
        raise SendFailure("connection", False, repr(error)) from error
