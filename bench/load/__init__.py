"""The load benchmark: `python -m bench.load_bench` (see bench/load/main.py)."""
