"""Analyses: pure functions over an ecosystem or its dependency graph."""

from layermodel.analysis.footprint import footprints, users

__all__ = ["footprints", "users"]
