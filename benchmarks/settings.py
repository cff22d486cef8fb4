"""
Settings of the benchmark's server: the app's own settings (production: debug off, read
from the environment as deployed), with the benchmark's URL conf, which adds reference
views beside the app's URLs, and a middleware that reports each response's query count
in a header. Rate limits are turned off through the environment by ``benchmarks/run.py``
(the app's defaults keep them on).
"""

from tracker.settings import *  # noqa: F403
from tracker.settings import MIDDLEWARE

ROOT_URLCONF = "benchmarks.urls"
# Outermost, so that it counts every query of the request, the middlewares' included.
MIDDLEWARE = ["benchmarks.views.QueryCountMiddleware", *MIDDLEWARE]
