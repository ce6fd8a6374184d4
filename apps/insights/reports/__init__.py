"""Insights reports: one module per report, holding its figures and the drill-downs behind them."""

# How many people each ranked list of contacts shows (who led to opportunities, give and ask).
TOP_CONTACTS = 25
