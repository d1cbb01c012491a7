"""Layered diagrams of an ecosystem (work in progress)."""
