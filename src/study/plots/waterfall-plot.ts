/**
 * A waterfall plot: one bar per patient, the best change in tumour burden from baseline (percent),
 * sorted from the largest increase to the largest decrease, coloured by best response, with reference
 * lines at the response thresholds.
 */
import { esc, px, linearScale, niceTicks, FONT } from './svg.js';
import { RESPONSE_ORDER, responseColour } from './response-colours.js';

export interface WaterfallBar {
  readonly id: string;
  /** Best change from baseline as a fraction (−0.3 = −30%). */
  readonly change: number;
  readonly response: string;
}

export interface WaterfallOptions {
  readonly title: string;
  /** Horizontal reference lines as fractions, e.g. [-0.5, -0.25, 0.25]. */
  readonly thresholds: readonly number[];
  readonly width?: number;
  /** Upper limit of the axis in percent; larger changes are drawn clipped with their value printed. */
  readonly clipPercent?: number;
}

export function waterfallSvg(bars: readonly WaterfallBar[], options: WaterfallOptions): string {
  const width = options.width ?? 720;
  const height = 380;
  const margin = { left: 64, right: 24, top: 40, bottom: 70 };
  const sorted = [...bars].sort((a, b) => b.change - a.change || (a.id < b.id ? -1 : 1));
  const clip = options.clipPercent ?? 100;
  const values = sorted.map((b) => b.change * 100);
  const yMax = Math.min(clip, Math.max(30, ...values));
  const yMin = Math.max(-100, Math.min(-60, ...values));
  const y = linearScale([yMin, yMax], [height - margin.bottom, margin.top]);
  const plotW = width - margin.left - margin.right;
  const bw = sorted.length > 0 ? plotW / sorted.length : plotW;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.title)}" ${FONT} font-size="12">`,
    `<title>${esc(options.title)}</title>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${esc(options.title)}</text>`,
  ];
  for (const v of niceTicks(yMin, yMax, 6)) {
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(v))}" y2="${px(y(v))}" stroke="#eee"/>`,
      `<text x="${margin.left - 8}" y="${px(y(v) + 4)}" text-anchor="end">${v}%</text>`,
    );
  }
  sorted.forEach((b, i) => {
    const v = Math.max(yMin, Math.min(yMax, b.change * 100));
    const x0 = margin.left + i * bw + bw * 0.1;
    const top = Math.min(y(0), y(v));
    const h = Math.abs(y(v) - y(0));
    parts.push(
      `<rect x="${px(x0)}" y="${px(top)}" width="${px(bw * 0.8)}" height="${px(Math.max(h, 0.5))}" fill="${responseColour(b.response)}" class="bar"><title>${esc(b.id)}: ${(b.change * 100).toFixed(1)}% (${esc(b.response)})</title></rect>`,
    );
    if (b.change * 100 > yMax) {
      parts.push(
        `<text x="${px(x0 + bw * 0.4)}" y="${px(top - 3)}" text-anchor="middle" font-size="9">${Math.round(b.change * 100)}%</text>`,
      );
    }
  });
  parts.push(
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(0))}" y2="${px(y(0))}" stroke="#333"/>`,
  );
  for (const t of options.thresholds) {
    const v = t * 100;
    if (v < yMin || v > yMax) continue;
    parts.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(y(v))}" y2="${px(y(v))}" stroke="#333" stroke-dasharray="5 4" class="threshold"/>`,
      `<text x="${width - margin.right}" y="${px(y(v) - 3)}" text-anchor="end" font-size="10">${v > 0 ? '+' : ''}${v}%</text>`,
    );
  }
  parts.push(
    `<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#333"/>`,
    `<text transform="translate(16 ${px((margin.top + height - margin.bottom) / 2)}) rotate(-90)" text-anchor="middle">Best change in tumour burden from baseline (%)</text>`,
    `<text x="${px(margin.left + plotW / 2)}" y="${height - margin.bottom + 18}" text-anchor="middle">Patients (n=${sorted.length}), ordered by best change</text>`,
  );
  const present = RESPONSE_ORDER.filter((r) => sorted.some((b) => b.response === r));
  present.forEach((r, i) => {
    const lx = margin.left + i * 70;
    const ly = height - 20;
    parts.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${responseColour(r)}"/>`,
      `<text x="${lx + 16}" y="${ly}">${r}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
