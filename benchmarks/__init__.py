"""
``make bench``: the benchmark of the public API and exports at scale, over HTTP through
gunicorn as deployed (see ``benchmarks/run.py``). Nothing here is imported by the app;
the reference views live in this package's own URL conf, never in the app's.
"""
