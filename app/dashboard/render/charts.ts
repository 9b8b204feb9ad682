import { type Html, html } from "./html.ts";

/**
 * Charts drawn on the server as SVG: no script, no chart library, readable by screen readers
 * through `role="img"` and a title per bar.
 */
export interface Bar {
  label: string;
  /** Stacked parts, bottom first; a part's class colours it. */
  parts: { value: number; className: string; title: string }[];
}

const COLOURS: Record<string, string> = {
  ok: "#1a7f37",
  other: "#afb8c1",
  cost: "#0969da",
  tokens: "#8250df",
  minutes: "#bf8700",
};

export function barChart(title: string, bars: Bar[], width = 360, height = 90): Html {
  const max = Math.max(1, ...bars.map((bar) => bar.parts.reduce((sum, part) => sum + part.value, 0)));
  const plot = height - 16;
  const step = width / Math.max(1, bars.length);
  const barWidth = Math.max(2, step * 0.7);
  const rects = bars.map((bar, i) => {
    let y = plot;
    return bar.parts.map((part) => {
      const h = (part.value / max) * plot;
      y -= h;
      return html`<rect x="${(i * step + (step - barWidth) / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${COLOURS[part.className] ?? COLOURS.other!}"><title>${bar.label}: ${part.title}</title></rect>`;
    });
  });
  const first = bars[0]?.label ?? "";
  const last = bars.at(-1)?.label ?? "";
  return html`<svg role="img" aria-label="${title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><title>${title}</title>${rects}<line x1="0" y1="${plot}" x2="${width}" y2="${plot}" stroke="#d1d9e0"/><text x="0" y="${height - 2}">${first}</text><text x="${width}" y="${height - 2}" text-anchor="end">${last}</text></svg>`;
}

/** A run's phases as one horizontal bar, each segment as wide as its share of the time. */
export function phaseTimeline(phases: { name: string; seconds: number }[], width = 720): Html {
  const total = phases.reduce((sum, phase) => sum + phase.seconds, 0);
  if (total <= 0) return html`<p class="empty">No phase times were reported.</p>`;
  const palette = ["#0969da", "#8250df", "#1a7f37", "#bf8700", "#cf222e", "#57606a"];
  let x = 0;
  const segments = phases.map((phase, i) => {
    const w = (phase.seconds / total) * width;
    const segment = html`<g><rect x="${x.toFixed(1)}" y="0" width="${Math.max(1, w).toFixed(1)}" height="22" fill="${palette[i % palette.length]!}"><title>${phase.name}: ${phase.seconds.toFixed(1)} s</title></rect></g>`;
    x += w;
    return segment;
  });
  const legend = phases.map(
    (phase, i) =>
      html`<li><svg width="10" height="10" aria-hidden="true"><rect width="10" height="10" fill="${palette[i % palette.length]!}"/></svg> ${phase.name}: ${phase.seconds.toFixed(1)} s</li>`,
  );
  return html`<svg role="img" aria-label="Phase timeline" width="${width}" height="22" viewBox="0 0 ${width} 22">${segments}</svg><ul class="legend">${legend}</ul>`;
}
