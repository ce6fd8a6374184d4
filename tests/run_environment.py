"""Loaded first by pytest (see pyproject's addopts): the environment every test run shares.

Settings refuse to start outside DEBUG without a key, and tests run with DEBUG off like
production; a random key per run also reaches the worker and server processes tests start.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", "test-run-" + secrets.token_urlsafe(40))
