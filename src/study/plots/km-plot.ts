/**
 * Kaplan–Meier curves as a standalone SVG: step functions with censoring marks, pointwise confidence
 * bands, a legend, and a numbers-at-risk table under the time axis. Time is in months.
 */
import { esc, px, linearScale, niceTicks, PALETTE, FONT } from './svg.js';

export interface KmPlotCurve {
  readonly label: string;
  /** Months at which the curve changes or a subject is censored, ascending. */
  readonly time: readonly number[];
  readonly surv: readonly number[];
  readonly lower: readonly (number | null)[];
  readonly upper: readonly (number | null)[];
  readonly nRisk: readonly number[];
  readonly nCensor: readonly number[];
  /** Subjects at time 0. */
  readonly n: number;
}

export interface KmPlotOptions {
  readonly title: string;
  readonly yLabel: string;
  readonly xLabel?: string;
  readonly width?: number;
  /** Show confidence bands (default true). */
  readonly bands?: boolean;
  /** Last month on the axis; default the largest time, rounded up to the tick step. */
  readonly maxMonths?: number;
}

/** Number at risk at time t: subjects with time ≥ t. */
export function atRisk(curve: KmPlotCurve, t: number): number {
  for (let i = 0; i < curve.time.length; i++) if (curve.time[i]! >= t) return curve.nRisk[i]!;
  return 0;
}

function stepPath(xs: readonly number[], ys: readonly number[], x0: number, y0: number): string {
  let d = `M${px(x0)},${px(y0)}`;
  let prevY = y0;
  for (let i = 0; i < xs.length; i++) {
    d += `H${px(xs[i]!)}`;
    if (ys[i] !== prevY) d += `V${px(ys[i]!)}`;
    prevY = ys[i]!;
  }
  return d;
}

/** The area between two step functions that both start at 1 at time 0. */
function bandPath(
  times: readonly number[],
  lower: readonly (number | null)[],
  upper: readonly (number | null)[],
  x: (v: number) => number,
  y: (v: number) => number,
  colour: string,
): string {
  const pts: [number, number][] = [[0, 1]];
  let prev = 1;
  for (let i = 0; i < times.length; i++) {
    pts.push([times[i]!, prev], [times[i]!, upper[i]!]);
    prev = upper[i]!;
  }
  const last = times[times.length - 1]!;
  pts.push([last, lower[times.length - 1]!]);
  for (let i = times.length - 1; i >= 0; i--) {
    const before = i === 0 ? 1 : lower[i - 1]!;
    pts.push([times[i]!, lower[i]!], [times[i]!, before]);
  }
  const d = pts.map(([t, s], i) => `${i === 0 ? 'M' : 'L'}${px(x(t))},${px(y(s))}`).join('');
  return `<path d="${d}Z" fill="${colour}" fill-opacity="0.12" stroke="none" class="ci-band"/>`;
}

export function kmPlotSvg(curves: readonly KmPlotCurve[], options: KmPlotOptions): string {
  const width = options.width ?? 720;
  const labelWidth = Math.max(...curves.map((c) => c.label.length), 6) * 6.6;
  const margin = { left: Math.max(64, Math.min(190, labelWidth + 16)), right: 24, top: 40, bottom: 56 };
  const plotH = 300;
  const rowH = 18;
  const tableH = 28 + rowH * curves.length;
  const height = margin.top + plotH + margin.bottom + tableH;
  const lastTime = Math.max(1, ...curves.map((c) => c.time[c.time.length - 1] ?? 0));
  const ticks0 = niceTicks(0, options.maxMonths ?? lastTime, 8);
  const step = ticks0.length > 1 ? ticks0[1]! - ticks0[0]! : 1;
  const xMax = options.maxMonths ?? Math.ceil(lastTime / step) * step;
  const xTicks = niceTicks(0, xMax, 8);
  const x = linearScale([0, xMax], [margin.left, width - margin.right]);
  const y = linearScale([0, 1], [margin.top + plotH, margin.top]);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.title)}" ${FONT} font-size="12">`,
    `<title>${esc(options.title)}</title>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${esc(options.title)}</text>`,
  );
  // grid and axes
  for (const v of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(v))}" y2="${px(y(v))}" stroke="#ddd"/>`,
      `<text x="${margin.left - 8}" y="${px(y(v) + 4)}" text-anchor="end">${v.toFixed(2)}</text>`,
    );
  }
  for (const t of xTicks) {
    parts.push(
      `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 5}" stroke="#333"/>`,
      `<text x="${px(x(t))}" y="${margin.top + plotH + 18}" text-anchor="middle">${t}</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${margin.top + plotH}" y2="${margin.top + plotH}" stroke="#333"/>`,
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#333"/>`,
    `<text x="${px((margin.left + width - margin.right) / 2)}" y="${margin.top + plotH + 38}" text-anchor="middle">${esc(options.xLabel ?? 'Months')}</text>`,
    `<text transform="translate(16 ${px(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>`,
  );
  curves.forEach((c, ci) => {
    const colour = PALETTE[ci % PALETTE.length]!;
    const inRange = c.time.map((t) => Math.min(t, xMax));
    if (options.bands ?? true) {
      // The band ends where a limit becomes undefined (S = 0).
      let n = 0;
      while (n < c.time.length && c.lower[n] != null && c.upper[n] != null) n++;
      if (n > 0)
        parts.push(bandPath(inRange.slice(0, n), c.lower.slice(0, n), c.upper.slice(0, n), x, y, colour));
    }
    const line = stepPath(
      inRange.map(x),
      c.surv.map((s) => y(s)),
      x(0),
      y(1),
    );
    const end = inRange[inRange.length - 1] ?? 0;
    parts.push(`<path d="${line}H${px(x(end))}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (let i = 0; i < c.time.length; i++) {
      if (c.nCensor[i]! > 0 && c.time[i]! <= xMax) {
        const cx = x(c.time[i]!);
        const cy = y(c.surv[i]!);
        parts.push(
          `<path d="M${px(cx)},${px(cy - 5)}V${px(cy + 5)}" stroke="${colour}" stroke-width="1.5" class="censor"/>`,
        );
      }
    }
    // legend
    const ly = margin.top + 14 + ci * 18;
    const lx = width - margin.right - (labelWidth + 80);
    parts.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${lx + 28}" y="${ly}">${esc(c.label)} (n=${c.n})</text>`,
    );
  });
  // numbers at risk
  const tableTop = margin.top + plotH + margin.bottom;
  parts.push(`<text x="8" y="${tableTop + 4}" font-weight="bold">Number at risk</text>`);
  curves.forEach((c, ci) => {
    const ry = tableTop + 22 + ci * rowH;
    const colour = PALETTE[ci % PALETTE.length]!;
    parts.push(
      `<text x="${margin.left - 16}" y="${ry}" text-anchor="end" fill="${colour}">${esc(c.label)}</text>`,
    );
    for (const t of xTicks) {
      const n = t === 0 ? c.n : atRisk(c, t);
      parts.push(`<text x="${px(x(t))}" y="${ry}" text-anchor="middle" class="at-risk">${n}</text>`);
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}
