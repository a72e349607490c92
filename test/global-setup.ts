/**
 * Runs once before any test file: builds the web application when the browser tests will run, so that
 * parallel test files never build `web/dist` at the same time.
 */
import { findChromium } from '../src/study/report-pdf.js';
import { ensureWebBuild } from './browser/web-app-server.js';

export default function setup(): void {
  if (findChromium() !== null) ensureWebBuild();
}
