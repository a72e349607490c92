/**
 * The HTML report of the demo cohort, opened in headless Chromium with the network cut off: every plot
 * is drawn with a size, the numbers-at-risk table is there, and the page asks for nothing from outside.
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { readExchangeFolder } from '../../src/interop/exchange-folder/index.js';
import { buildStudyReport } from '../../src/study/study-report.js';
import { renderReportHtml } from '../../src/study/report-html.js';
import { chromiumPath, launchChromium } from './chromium.js';

const demo = join(import.meta.dirname, '..', '..', 'examples', 'salvage-demo');

describe.runIf(chromiumPath !== null)('HTML report in Chromium', () => {
  let browser: Browser;
  let file: string;
  beforeAll(async () => {
    const r = await readExchangeFolder(demo);
    if (!r.ok) throw new Error('demo cohort is invalid');
    const dir = mkdtempSync(join(tmpdir(), 'prrt-report-'));
    file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(buildStudyReport(r.cohort, { course: 'salvage' })));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser.close();
  });

  test('every plot renders with a size, offline', async () => {
    const context = await browser.newContext({ offline: true });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (req) => {
      if (!req.url().startsWith('file:')) requests.push(req.url());
    });
    await page.goto(`file://${file}`);
    for (const id of ['waterfall', 'km-ttp', 'km-pfs', 'km-os', 'km-prior-split', 'swimmer']) {
      const box = await page.locator(`#${id} svg`).boundingBox();
      expect(box, id).not.toBeNull();
      expect(box!.width).toBeGreaterThan(300);
      expect(box!.height).toBeGreaterThan(150);
    }
    expect(await page.locator('#waterfall .bar').count()).toBe(33);
    expect(await page.locator('#swimmer .lane').count()).toBe(33);
    expect(await page.locator('#km-ttp .at-risk').count()).toBeGreaterThan(3);
    expect(await page.locator('#km-ttp .censor').count()).toBeGreaterThan(0);
    expect(requests).toEqual([]);
    expect(readFileSync(file, 'utf8')).not.toMatch(/<script/);
    await context.close();
  });
});
