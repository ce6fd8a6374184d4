"""Geometry for the server-rendered SVG charts.

Charts use a narrow viewBox (360 units wide) so that they scale down to a phone without the text
becoming unreadable; each chart's numbers are also in a table beside it.
"""

WIDTH = 360
LABEL_ROW = 16
BAR = 10


def _scale(value, largest, span):
    return round(value * span / largest, 1) if largest else 0


def channel_bars(rows) -> dict:
    """Two bars per channel: hours invested and opportunities, each against its own maximum."""
    most_hours = max((r.minutes for r in rows), default=0)
    most_opps = max((r.opportunities for r in rows), default=0)
    step = LABEL_ROW + 2 * BAR + 12
    bars = []
    for i, row in enumerate(rows):
        top = i * step
        bars.append(
            {
                "row": row,
                "label_y": top + 12,
                "hours_y": top + LABEL_ROW,
                "hours_w": max(
                    _scale(row.minutes, most_hours, WIDTH - 90), 1 if row.minutes else 0
                ),
                "opps_y": top + LABEL_ROW + BAR + 2,
                "opps_w": max(_scale(row.opportunities, most_opps, WIDTH - 90), 0),
            }
        )
    return {
        "bars": bars,
        "height": max(len(rows) * step, step),
        "width": WIDTH,
        "bar": BAR,
        "text_x": WIDTH - 84,
    }


def funnel_bars(steps) -> dict:
    largest = max((s.reached for s in steps), default=0)
    step = LABEL_ROW + 14 + 10
    bars = []
    for i, s in enumerate(steps):
        top = i * step
        bars.append(
            {
                "step": s,
                "label_y": top + 12,
                "bar_y": top + LABEL_ROW,
                "bar_w": _scale(s.reached, largest, WIDTH - 60),
            }
        )
    return {
        "bars": bars,
        "height": len(steps) * step,
        "width": WIDTH,
        "bar": 14,
        "text_x": WIDTH - 54,
    }


def trend_columns(weeks) -> dict:
    """One column per week: the share of decided follow-ups done on time (0-100 %)."""
    height, bottom = 140, 120
    count = max(len(weeks), 1)
    slot = (WIDTH - 30) / count
    columns = []
    for i, week in enumerate(weeks):
        value = week["share"] or 0
        h = round(value * (bottom - 10) / 100, 1)
        columns.append(
            {
                "week": week,
                "x": round(30 + i * slot + slot * 0.15, 1),
                "w": round(slot * 0.7, 1),
                "y": round(bottom - h, 1),
                "h": h,
                "mid": round(30 + i * slot + slot / 2, 1),
                "show_label": count <= 6 or i % 2 == (count - 1) % 2,
            }
        )
    gridlines = [
        {"y": round(bottom - pct * (bottom - 10) / 100, 1), "label": pct} for pct in (0, 50, 100)
    ]
    return {
        "columns": columns,
        "height": height,
        "bottom": bottom,
        "width": WIDTH,
        "gridlines": gridlines,
    }
