"""Benchmarks: each prints ratios against a baseline measured in the same run,
because shared machines are noisy: a wall-clock time alone would measure the
machine, not the code."""
