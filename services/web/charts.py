"""Charts drawn on the server as SVG (no script, no CDN); every chart's page shows the same numbers in a table."""
from __future__ import annotations

from markupsafe import Markup, escape

PALETTE = ("#1f5f8b", "#c0582b", "#3b8b4f", "#7a4e9c", "#a08019", "#4d4d4d")


def bar_chart(items: list[tuple[str, float | None]], title: str, fmt=lambda v: str(v), width: int = 480) -> Markup:
    """Horizontal bars, one per (label, value); the value is written beside each bar."""
    rows = [(label, value) for label, value in items]
    top = max([v for _, v in rows if v is not None] + [0]) or 1
    bar_h, gap, label_w = 22, 8, 150
    height = max(len(rows), 1) * (bar_h + gap) + gap
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar_h + gap)
        w = 0 if value is None else (width - label_w - 70) * value / top
        shown = "–" if value is None else fmt(value)
        parts.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(label)}</text>'
                     f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}" '
                     f'data-label="{escape(label)}" data-value="{escape(shown)}"><title>{escape(label)}: '
                     f'{escape(shown)}</title></rect>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def grouped_bars(categories: list[str], series: dict[str, list[float | None]], title: str, top: float | None = None,
                 fmt=lambda v: str(v), width: int = 560, height: int = 220) -> Markup:
    """Vertical bars grouped by category (e.g. monitoring month), one colour per series, with a legend."""
    values = [v for vs in series.values() for v in vs if v is not None]
    top = top or (max(values) if values else 1) or 1
    left, bottom, legend_h = 30, 24, 18 * max(len(series), 1)
    plot_h = height - bottom - 10
    group_w = (width - left) / max(len(categories), 1)
    bar_w = max(4.0, (group_w - 10) / max(len(series), 1))
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height + legend_h}" '
             f'width="{width}" height="{height + legend_h}" xmlns="http://www.w3.org/2000/svg">'
             f'<title>{escape(title)}</title>'
             f'<line x1="{left}" y1="{plot_h + 10}" x2="{width}" y2="{plot_h + 10}" stroke="#888"/>']
    for ci, category in enumerate(categories):
        x0 = left + ci * group_w + 5
        parts.append(f'<text x="{x0 + (group_w - 10) / 2:.1f}" y="{height - 6}" text-anchor="middle" '
                     f'font-size="12">{escape(category)}</text>')
        for si, (name, vals) in enumerate(series.items()):
            value = vals[ci] if ci < len(vals) else None
            if value is None:
                continue
            h = plot_h * value / top
            shown = fmt(value)
            parts.append(f'<rect x="{x0 + si * bar_w:.1f}" y="{plot_h + 10 - h:.1f}" width="{bar_w - 2:.1f}" '
                         f'height="{h:.1f}" fill="{PALETTE[si % len(PALETTE)]}" data-label="{escape(name)} '
                         f'{escape(category)}" data-value="{escape(shown)}"><title>{escape(name)}, '
                         f'{escape(category)}: {escape(shown)}</title></rect>')
    for si, name in enumerate(series):
        y = height + 4 + si * 18
        parts.append(f'<rect x="{left}" y="{y}" width="12" height="12" fill="{PALETTE[si % len(PALETTE)]}"/>'
                     f'<text x="{left + 18}" y="{y + 11}" font-size="12">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
