"""
Shared test configuration: hypothesis profiles and the ../shared fixture.

Pick a hypothesis profile with the ``HYPOTHESIS_PROFILE`` environment
variable: ``fast`` (the default, for local runs) or ``ci`` (more examples).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import settings

# --import-mode=importlib leaves sys.path alone; the tests import their one
# strategies module by name.
sys.path.insert(0, str(Path(__file__).parent))

settings.register_profile("ci", deadline=None, max_examples=100)
settings.register_profile("fast", deadline=None, max_examples=50)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

#: The folder every developer and CI run has beside the project checkout.
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """
    Return the ../shared folder, or skip the test when it is absent.
    """
    if not SHARED.is_dir():
        pytest.skip(
            f"../shared is absent: {SHARED} holds the data contract this "
            "test reads; clone the project beside it to run the test"
        )
    return SHARED
