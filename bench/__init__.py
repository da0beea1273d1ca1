"""Benchmarks: each prints ratios against a baseline measured in the same run,
because these machines are shared and noisy (RECIPES.md)."""
