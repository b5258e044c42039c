"""A score-distribution histogram as a small standalone SVG (no scripts, no external refs)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from flask_babel import gettext as _

WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 50, 20, 30, 50


def histogram_svg(counts: list[int], title: str) -> str:
    bins = len(counts)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max(max(counts, default=0), 1)
    bar_w = plot_w / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-family="sans-serif" '
        f'font-size="14">{escape(title)}</text>',
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" '
        'stroke="#333"/>',
        f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#333"/>',
    ]
    for index, count in enumerate(counts):
        h = plot_h * count / top
        x = LEFT + index * bar_w
        low, high = index * 100 // bins, (index + 1) * 100 // bins
        label = f"{low}–{high}%"
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar_w - 4:.1f}" '
            f'height="{h:.1f}" fill="#3b6ea5"><title>{label}: {count}</title></rect>')
        if count:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h - h - 4:.1f}" '
                         f'text-anchor="middle" font-family="sans-serif" font-size="12">'
                         f'{count}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{TOP + plot_h + 16}" '
                     f'text-anchor="middle" font-family="sans-serif" font-size="10">'
                     f'{label}</text>')
    parts.append(f'<text x="{WIDTH / 2}" y="{HEIGHT - 8}" text-anchor="middle" '
                 f'font-family="sans-serif" font-size="12">{escape(_("share of possible points"))}</text>')
    parts.append(f'<text x="14" y="{TOP + plot_h / 2}" text-anchor="middle" '
                 f'font-family="sans-serif" font-size="12" transform="rotate(-90 14 '
                 f'{TOP + plot_h / 2})">{escape(_("students"))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
