"""Fixtures of the library tests."""

from __future__ import annotations

import pytest

from rehab.exercises.services import load_library
from tests.exercises.factories import MINI_LIBRARY


@pytest.fixture
def mini_library(app):
    """The six-exercise test library (two ladders), loaded as built-ins."""
    load_library(MINI_LIBRARY)


@pytest.fixture
def full_library(app):
    """The real built-in library shipped with Rehab."""
    load_library()
