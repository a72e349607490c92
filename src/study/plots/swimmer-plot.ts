/**
 * A swimmer plot: one lane per patient on a time axis in months from the start of the patient's first
 * course; a bar per course (shaded by kind) up to the next course or last contact, a tick per cycle,
 * a marker per scan response, a marker at progression, and the end of the lane marked as death or
 * alive at last contact.
 */
import { esc, px, linearScale, niceTicks, FONT } from './svg.js';
import { responseColour, RESPONSE_ORDER } from './response-colours.js';

export interface SwimmerLane {
  readonly id: string;
  readonly courses: readonly { readonly kind: string; readonly start: number; readonly end: number }[];
  readonly cycles: readonly number[];
  readonly responses: readonly { readonly at: number; readonly response: string }[];
  readonly progressions: readonly number[];
  readonly end: number;
  readonly died: boolean;
}

const COURSE_FILL: Readonly<Record<string, string>> = { regular: '#C7D7E8', salvage: '#7FA7CF' };

export function swimmerSvg(
  lanes: readonly SwimmerLane[],
  options: { title: string; width?: number },
): string {
  const width = options.width ?? 720;
  const laneH = 16;
  const margin = { left: 80, right: 24, top: 40, bottom: 84 };
  const height = margin.top + margin.bottom + laneH * lanes.length;
  const maxT = Math.max(12, ...lanes.map((l) => l.end));
  const first = niceTicks(0, maxT, 10);
  const step = first.length > 1 ? first[1]! - first[0]! : maxT;
  const xMax = Math.ceil(maxT / step - 1e-9) * step;
  const ticks = niceTicks(0, xMax, 10);
  const x = linearScale([0, xMax], [margin.left, width - margin.right]);
  const sorted = [...lanes].sort((a, b) => b.end - a.end || (a.id < b.id ? -1 : 1));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(options.title)}" ${FONT} font-size="11">`,
    `<title>${esc(options.title)}</title>`,
    `<text x="${margin.left}" y="22" font-size="15" font-weight="bold">${esc(options.title)}</text>`,
  ];
  const axisY = margin.top + laneH * sorted.length;
  for (const t of ticks) {
    parts.push(
      `<line x1="${px(x(t))}" x2="${px(x(t))}" y1="${margin.top}" y2="${axisY}" stroke="#eee"/>`,
      `<text x="${px(x(t))}" y="${axisY + 16}" text-anchor="middle">${t}</text>`,
    );
  }
  sorted.forEach((lane, i) => {
    const cy = margin.top + i * laneH + laneH / 2;
    parts.push(
      `<g class="lane"><text x="${margin.left - 6}" y="${px(cy + 4)}" text-anchor="end">${esc(lane.id)}</text>`,
    );
    for (const c of lane.courses) {
      parts.push(
        `<rect x="${px(x(c.start))}" y="${px(cy - 5)}" width="${px(Math.max(1, x(c.end) - x(c.start)))}" height="10" fill="${COURSE_FILL[c.kind] ?? '#ccc'}" class="course"/>`,
      );
    }
    for (const t of lane.cycles) {
      parts.push(
        `<path d="M${px(x(t))},${px(cy - 6)}V${px(cy + 6)}" stroke="#1A1A1A" stroke-width="1.5" class="cycle"/>`,
      );
    }
    for (const r of lane.responses) {
      parts.push(
        `<circle cx="${px(x(r.at))}" cy="${px(cy)}" r="3.2" fill="${responseColour(r.response)}" stroke="#fff" stroke-width="0.6" class="response"><title>${esc(r.response)}</title></circle>`,
      );
    }
    for (const t of lane.progressions) {
      parts.push(
        `<path d="M${px(x(t) - 4)},${px(cy - 4)}L${px(x(t) + 4)},${px(cy + 4)}M${px(x(t) - 4)},${px(cy + 4)}L${px(x(t) + 4)},${px(cy - 4)}" stroke="#B00020" stroke-width="2" class="progression"/>`,
      );
    }
    const ex = x(lane.end);
    parts.push(
      lane.died
        ? `<rect x="${px(ex - 3)}" y="${px(cy - 3)}" width="6" height="6" fill="#000" class="death"/>`
        : `<path d="M${px(ex)},${px(cy - 4)}L${px(ex + 6)},${px(cy)}L${px(ex)},${px(cy + 4)}Z" fill="#555" class="alive"/>`,
      '</g>',
    );
  });
  parts.push(
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${axisY}" y2="${axisY}" stroke="#333"/>`,
    `<text x="${px((margin.left + width - margin.right) / 2)}" y="${axisY + 34}" text-anchor="middle">Months from the start of the first course</text>`,
  );
  // legend
  const ly = axisY + 58;
  let lx = margin.left;
  const item = (svg: string, label: string) => {
    parts.push(svg, `<text x="${px(lx + 14)}" y="${px(ly + 4)}">${label}</text>`);
    lx += 14 + label.length * 6.2 + 14;
  };
  item(
    `<rect x="${px(lx)}" y="${px(ly - 5)}" width="10" height="10" fill="${COURSE_FILL.regular!}"/>`,
    'regular course',
  );
  item(
    `<rect x="${px(lx)}" y="${px(ly - 5)}" width="10" height="10" fill="${COURSE_FILL.salvage!}"/>`,
    'salvage course',
  );
  item(`<path d="M${px(lx + 5)},${px(ly - 6)}V${px(ly + 6)}" stroke="#1A1A1A" stroke-width="1.5"/>`, 'cycle');
  item(
    `<path d="M${px(lx + 1)},${px(ly - 4)}L${px(lx + 9)},${px(ly + 4)}M${px(lx + 1)},${px(ly + 4)}L${px(lx + 9)},${px(ly - 4)}" stroke="#B00020" stroke-width="2"/>`,
    'progression',
  );
  item(`<rect x="${px(lx + 2)}" y="${px(ly - 3)}" width="6" height="6" fill="#000"/>`, 'death');
  item(
    `<path d="M${px(lx + 2)},${px(ly - 4)}L${px(lx + 8)},${px(ly)}L${px(lx + 2)},${px(ly + 4)}Z" fill="#555"/>`,
    'alive at last contact',
  );
  lx = margin.left;
  for (const r of RESPONSE_ORDER) {
    parts.push(
      `<circle cx="${px(lx + 5)}" cy="${px(ly + 18)}" r="3.2" fill="${responseColour(r)}"/>`,
      `<text x="${px(lx + 12)}" y="${px(ly + 22)}">${r}</text>`,
    );
    lx += 44;
  }
  parts.push('</svg>');
  return parts.join('\n');
}
