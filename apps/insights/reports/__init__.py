"""Insights reports: one module per report, holding its figures and the drill-downs behind them."""
