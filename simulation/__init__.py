"""Synthetic county data for benchmarks and the demo (never used by the platform itself)."""

from simulation.history import Profile, generate, generate_on

__all__ = ["Profile", "generate", "generate_on"]
