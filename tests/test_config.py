"""Configuration from the environment."""

from __future__ import annotations

import threading

from rehab.config import normalise_database_url, secret_key_from_instance


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = secret_key_from_instance(str(tmp_path))
    assert len(first) >= 40
    assert secret_key_from_instance(str(tmp_path)) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_workers_starting_together_agree_on_one_key(tmp_path):
    keys: list[str] = []
    threads = [
        threading.Thread(target=lambda: keys.append(secret_key_from_instance(str(tmp_path))))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1


def test_postgres_urls_use_psycopg_3():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_proxy_headers_are_trusted_only_when_configured(make_app):
    plain = make_app().test_client()
    proxied = make_app(REHAB_PROXY_COUNT=1).test_client()
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    assert "Strict-Transport-Security" not in plain.get("/login", headers=headers).headers
    assert "Strict-Transport-Security" in proxied.get("/login", headers=headers).headers


def test_id_pickers_refuse_ids_the_database_cannot_hold():
    import pytest

    from rehab.core.forms import optional_record_id, record_id

    assert record_id("42") == 42
    assert optional_record_id("") is None
    for bad in ("0", "-1", str(2**31), "9" * 40, "x"):
        with pytest.raises(ValueError):
            record_id(bad)
