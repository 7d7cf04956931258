"""Test settings: hypothesis runs deterministically, so every run checks the same examples.

Set ``HYPOTHESIS_PROFILE=thorough`` to search ten times harder.
"""

import os

from hypothesis import settings

settings.register_profile("mixer", derandomize=True, max_examples=50, deadline=None, print_blob=True)
settings.register_profile("thorough", derandomize=True, max_examples=500, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "mixer"))
