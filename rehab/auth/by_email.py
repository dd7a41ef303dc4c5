"""Account links by e-mail: "forgot password", a hand-over link sent by e-mail, and the
confirmation of a new e-mail address. They take plain values, commit and audit; the message
itself is sent by the outbox (rehab.mail) after the commit, never inside the request."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from rehab.audit.services import Action, record
from rehab.audit.summaries import Summary
from rehab.auth import links, services
from rehab.auth.models import AccountToken, TokenPurpose, User
from rehab.core.db import utcnow
from rehab.extensions import db
from rehab.mail.outbox import queue_email

# A second "forgot password" for the same account within this time sends nothing new (the
# answer on screen is the same): nobody can flood someone's inbox through the form.
RESEND_AFTER = dt.timedelta(minutes=2)


def _link_hours(purpose: TokenPurpose) -> int:
    key = "REHAB_ACTIVATION_HOURS" if purpose == TokenPurpose.ACTIVATION else "REHAB_RESET_HOURS"
    return current_app.config[key]


def _mail_kind(purpose: TokenPurpose) -> str:
    return "account_activation" if purpose == TokenPurpose.ACTIVATION else "password_reset"


def _patient_id(user: User) -> int | None:
    from rehab.patients.models import Patient

    if user.is_staff:
        return None
    return db.session.scalar(select(Patient.id).where(Patient.user_id == user.id))


def _asked_recently(user: User, now: dt.datetime) -> bool:
    return (
        db.session.scalar(
            select(AccountToken.id).where(
                AccountToken.user_id == user.id,
                AccountToken.created_by_id.is_(None),
                AccountToken.purpose.in_(links.PASSWORD_PURPOSES),
                AccountToken.created_at > now - RESEND_AFTER,
            )
        )
        is not None
    )


def request_password_reset(email: str) -> None:
    """Mail a one-time password link to the account with this address, if there is one.

    The caller shows the same answer whatever happens here, and the work is of the same
    size either way (one look-up, a few inserts, one commit; the sending happens after the
    request), so neither the page nor its timing tells whether the address has an account.
    An account without a password yet gets an activation link instead.
    """
    address = services.normalise_email(email)[:254]
    now = utcnow()
    user = db.session.scalar(
        select(User).options(joinedload(User.clinic)).where(User.email == address)
    )
    if user is None or not user.active:
        record(
            Action.ACCOUNT,
            actor=None,
            clinic_id=user.clinic_id if user is not None else None,
            object_type="user" if user is not None else None,
            object_id=user.id if user is not None else None,
            summary=Summary.of("password_link_unknown", address=address),
        )
    elif _asked_recently(user, now):
        record(Action.ACCOUNT, actor=None, clinic_id=user.clinic_id, object_type="user",
               object_id=user.id, summary=Summary.of("password_link_too_soon"))  # fmt: skip
    else:
        purpose = TokenPurpose.RESET if user.has_password else TokenPurpose.ACTIVATION
        token = links.issue_token(user, purpose, actor=None)
        queue_email(
            user,
            _mail_kind(purpose),
            params={"name": user.full_name, "hours": _link_hours(purpose)},
            secret=token,
        )
        record(Action.ACCOUNT, actor=None, clinic_id=user.clinic_id, object_type="user",
               object_id=user.id, patient_id=_patient_id(user),
               summary=Summary.of("link_sent_on_request", purpose=purpose))  # fmt: skip
    db.session.commit()


def send_account_link(actor: User, row: AccountToken, token: str) -> None:
    """Mail a just-made activation or password link (the hand-over page's "send by e-mail")."""
    user = row.user
    purpose = TokenPurpose(row.purpose)
    queue_email(
        user,
        _mail_kind(purpose),
        params={"name": user.full_name, "hours": _link_hours(purpose)},
        secret=token,
    )
    record(
        Action.ACCOUNT,
        actor=actor,
        object_type="user",
        object_id=user.id,
        patient_id=_patient_id(user),
        summary=Summary.of("link_sent", purpose=purpose),
    )
    db.session.commit()


class SameAddress(Exception):
    """The new address is the one the account already has."""


def request_email_change(user: User, new_email: str) -> str:
    """Send a confirmation link to the new address; the address changes when it is opened.

    Returns the normalised new address. Raises EmailTaken or SameAddress.
    """
    address = services.normalise_email(new_email)
    if address == user.email:
        raise SameAddress(address)
    if services.email_in_use(address):
        raise services.EmailTaken(address)
    token = links.issue_token(user, TokenPurpose.EMAIL_CHANGE, actor=user, new_email=address)
    queue_email(
        user,
        "email_change_confirm",
        params={"name": user.full_name, "hours": _link_hours(TokenPurpose.EMAIL_CHANGE)},
        secret=token,
        to=address,
    )
    record(Action.ACCOUNT, actor=user, object_type="user", object_id=user.id,
           summary=Summary.of("email_change_asked", address=address))  # fmt: skip
    db.session.commit()
    return address


class LinkAlreadyUsed(Exception):
    """Another request used the same link a moment earlier."""


def confirm_email_change(row: AccountToken) -> User:
    """Open the confirmation link: the account takes the new address, the old address is
    told. The link is spent by one conditional write, so two clicks change it once."""
    user = row.user
    old_address, new_address = user.email, row.new_email
    spent = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:
        db.session.rollback()
        raise LinkAlreadyUsed(row.id)
    queue_email(
        user,
        "email_changed_notice",
        params={"name": user.full_name, "new_address": new_address},
        to=old_address,
    )
    try:
        services.change_email(user, new_address)  # records and commits all of it
    except IntegrityError as error:  # the address was taken in the meantime
        db.session.rollback()
        raise services.EmailTaken(new_address) from error
    except services.EmailTaken:
        db.session.rollback()
        raise
    return user
