"""The briefing: a self-contained HTML report of every analysis for one actor and period."""

from factiongraph.report.builder import Citation, Report, build_report, render_report

__all__ = ["Citation", "Report", "build_report", "render_report"]
