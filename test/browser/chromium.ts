/**
 * Debian's Chromium driven by playwright-core for the browser tests: found on the PATH (or
 * $PRRT_CHROMIUM); the tests that need it are skipped with a clear note where it is not installed.
 */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium } from '../../src/study/report-pdf.js';

export const chromiumPath = findChromium();

export async function launchChromium(): Promise<Browser> {
  if (chromiumPath === null) throw new Error('Chromium is not installed (Debian: apt-get install chromium)');
  return chromium.launch({
    executablePath: chromiumPath,
    args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'),
  });
}
