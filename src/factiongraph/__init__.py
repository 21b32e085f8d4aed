"""factiongraph: sourced, timed maps of how armed groups relate, built from reports."""

__version__ = "0.1.0"
