"""The gunicorn settings' warm-up hook: the worker's long-lived objects are frozen once."""

from __future__ import annotations

import gc
from types import SimpleNamespace

from rehab import serving


def test_the_worker_freezes_its_long_lived_objects_once_after_warm_up():
    gc.unfreeze()
    try:
        worker = SimpleNamespace(nr=serving.WARM_UP_REQUESTS - 1)
        serving.post_request(worker, None, {}, None)
        assert gc.get_freeze_count() == 0  # still warming up
        worker.nr = serving.WARM_UP_REQUESTS
        serving.post_request(worker, None, {}, None)
        frozen = gc.get_freeze_count()
        assert frozen > 0
        worker.nr += 1
        serving.post_request(worker, None, {}, None)
        assert gc.get_freeze_count() == frozen  # not again
    finally:
        gc.unfreeze()
