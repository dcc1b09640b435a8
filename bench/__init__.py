"""Benchmarks, run as scripts: ``python bench/bench.py``, ``python bench/bench_ui.py``."""
