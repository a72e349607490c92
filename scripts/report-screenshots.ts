/**
 * Renders the demo cohort's report and saves a screenshot of each plot under docs/images/
 * (`npx tsx scripts/report-screenshots.ts`). Needs Chromium.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readExchangeFolder } from '../src/interop/exchange-folder/index.js';
import { buildStudyReport } from '../src/study/study-report.js';
import { renderReportHtml } from '../src/study/report-html.js';
import { launchChromium } from '../test/browser/chromium.js';

const root = join(import.meta.dirname, '..');
const r = await readExchangeFolder(join(root, 'examples', 'salvage-demo'));
if (!r.ok) throw new Error('demo cohort is invalid');
const file = join(mkdtempSync(join(tmpdir(), 'prrt-shots-')), 'report.html');
writeFileSync(file, renderReportHtml(buildStudyReport(r.cohort, { course: 'salvage' })));
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 900, height: 1200 }, deviceScaleFactor: 1.5 });
await page.goto(`file://${file}`);
const out = join(root, 'docs', 'images');
mkdirSync(out, { recursive: true });
for (const id of ['km-ttp', 'km-prior-split', 'waterfall', 'swimmer']) {
  await page.locator(`#${id}`).screenshot({ path: join(out, `report-${id}.png`) });
  console.log(`docs/images/report-${id}.png`);
}
await browser.close();
