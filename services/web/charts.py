"""Charts drawn on the server as SVG (no script, no CDN); every chart's page shows the same numbers in a table."""
from __future__ import annotations

from markupsafe import Markup, escape

PALETTE = ("#1f5f8b", "#c0582b", "#3b8b4f", "#7a4e9c", "#a08019", "#4d4d4d")
# a bound of a 12 px character's width; a label line's height and its most characters
CHAR_W, LINE_H, LABEL_CHARS = 8.2, 14, 26


def label_lines(label: str, chars: int = LABEL_CHARS) -> list[str]:
    """A label in lines of at most `chars` characters, broken between words (a longer word keeps its line)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def bar_chart(items: list[tuple[str, float | None]], title: str, fmt=lambda v: str(v), width: int = 480) -> Markup:
    """Horizontal bars, one per (label, value); the value is written beside each bar. Labels get the
    room they need: long ones wrap onto more lines, and the drawing widens rather than cut them."""
    rows = [(label, value, label_lines(label)) for label, value in items]
    top = max([v for _, v, _ in rows if v is not None] + [0]) or 1
    bar_h, gap, value_w = 22, 8, 70
    longest = max((len(line) for _, _, lines in rows for line in lines), default=0)
    label_w = max(60, round(longest * CHAR_W) + 12)
    width = max(width, label_w + 200 + value_w)
    heights = [max(bar_h, len(lines) * LINE_H + 4) for _, _, lines in rows]
    height = sum(h + gap for h in heights) + gap if rows else bar_h + 2 * gap
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    y = gap
    for (label, value, lines), row_h in zip(rows, heights):
        w = 0 if value is None else (width - label_w - value_w) * value / top
        shown = "–" if value is None else fmt(value)
        first = y + row_h / 2 - (len(lines) - 1) * LINE_H / 2 + 4
        text = "".join(f'<tspan x="{label_w - 6}" y="{first + n * LINE_H:.1f}">{escape(line)}</tspan>'
                       for n, line in enumerate(lines))
        parts.append(f'<text text-anchor="end" font-size="12">{text}</text>'
                     f'<rect x="{label_w}" y="{y + (row_h - bar_h) / 2:.1f}" width="{w:.1f}" height="{bar_h}" '
                     f'fill="{PALETTE[0]}" '
                     f'data-label="{escape(label)}" data-value="{escape(shown)}"><title>{escape(label)}: '
                     f'{escape(shown)}</title></rect>'
                     f'<text x="{label_w + w + 4:.1f}" y="{y + row_h / 2 + 4:.1f}" font-size="12">'
                     f'{escape(shown)}</text>')
        y += row_h + gap
    parts.append("</svg>")
    return Markup("".join(parts))


def grouped_bars(categories: list[str], series: dict[str, list[float | None]], title: str, top: float | None = None,
                 fmt=lambda v: str(v), width: int = 560, height: int = 220) -> Markup:
    """Vertical bars grouped by category (e.g. monitoring month), one colour per series, with a legend.
    A category's name wraps onto more lines under its group rather than run into the next one."""
    values = [v for vs in series.values() for v in vs if v is not None]
    top = top or (max(values) if values else 1) or 1
    left, legend_h = 30, 18 * max(len(series), 1) + 6
    plot_h = height - 34
    group_w = (width - left) / max(len(categories), 1)
    bar_w = max(4.0, (group_w - 10) / max(len(series), 1))
    names = [label_lines(c, max(4, int((group_w - 4) / CHAR_W))) for c in categories]
    height = plot_h + 14 + max((len(lines) for lines in names), default=1) * LINE_H + 6  # axis, then the names
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height + legend_h}" '
             f'width="{width}" height="{height + legend_h}" xmlns="http://www.w3.org/2000/svg">'
             f'<title>{escape(title)}</title>'
             f'<line x1="{left}" y1="{plot_h + 10}" x2="{width}" y2="{plot_h + 10}" stroke="#888"/>']
    for ci, category in enumerate(categories):
        x0 = left + ci * group_w + 5
        middle = x0 + (group_w - 10) / 2
        text = "".join(f'<tspan x="{middle:.1f}" y="{plot_h + 24 + n * LINE_H}">{escape(line)}</tspan>'
                       for n, line in enumerate(names[ci]))
        parts.append(f'<text text-anchor="middle" font-size="12">{text}</text>')
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
