"""Settings for the page benchmark's gunicorn: the product's, plus the hello-world URL."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.bench_urls"
