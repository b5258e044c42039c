"""The load benchmark of issues 12 and 17: `.venv/bin/python -m bench.load_bench [--quick]`.

Options and what it prints: bench/load/main.py (or `--help`).
"""

from bench.load.main import main

if __name__ == "__main__":
    main()
