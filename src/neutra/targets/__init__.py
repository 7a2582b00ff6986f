"""Targets: science-based targets, peak and neutrality, budgets, allocation."""
