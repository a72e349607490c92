/**
 * The Content-Security-Policy holds on every page. Every page path of the web application (the client
 * routes of `web/src/app.tsx`, the sign-in page and an unknown path) is loaded in Chromium without a
 * session and as each role: every answer the page receives from the server (the page, its scripts and
 * styles, the API) carries exactly the CSP of `CSP_DIRECTIVES` and the other security headers, no
 * `securitypolicyviolation` event fires and no error is logged, and the page has no inline script or
 * style element. Every file of `web/dist` is served with the same headers. The HTML report, as each
 * role gets it, is an attachment with the same headers and, opened as a file, carries its own CSP that
 * allows no script, and raises no violation either.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CSP_DIRECTIVES } from '../../src/server/app.js';
import { openPseudonymiser } from '../../src/server/pseudonymiser.js';
import { ROLES, type Role } from '../../src/server/roles.js';
import { chromiumPath, launchChromium } from './chromium.js';
import { CSP_LISTENER, cspViolations, inertState } from './page-checks.js';
import { ACCOUNTS, PASSWORD, WEB_DIST, startWebAppServer, type WebAppServer } from './web-app-server.js';

/** `CSP_DIRECTIVES` as directive name (kebab case) → sources. */
const EXPECTED_CSP = new Map(
  Object.entries(CSP_DIRECTIVES).map(([k, v]) => [
    k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`),
    [...v].sort(),
  ]),
);

function parseCsp(header: string): Map<string, string[]> {
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0] !== '')
      .map(([name, ...sources]) => [name!, sources.sort()]),
  );
}

/** What is wrong with an answer's security headers; empty when nothing is. */
function headerProblems(headers: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  const csp = headers['content-security-policy'];
  if (csp === undefined) problems.push('no content-security-policy');
  else if (JSON.stringify([...parseCsp(csp)].sort()) !== JSON.stringify([...EXPECTED_CSP].sort())) {
    problems.push(`content-security-policy is ${csp}`);
  }
  const expected: Record<string, RegExp> = {
    'x-content-type-options': /^nosniff$/,
    'x-frame-options': /^SAMEORIGIN$/,
    'referrer-policy': /^no-referrer$/,
    'strict-transport-security': /^max-age=\d+/,
    'cross-origin-opener-policy': /^same-origin$/,
    'cross-origin-resource-policy': /^same-origin$/,
    'cross-origin-embedder-policy': /^require-corp$/,
    'x-permitted-cross-domain-policies': /^none$/,
  };
  for (const [name, re] of Object.entries(expected)) {
    const v = headers[name];
    if (v === undefined || !re.test(v)) problems.push(`${name} is ${v ?? 'missing'}`);
  }
  return problems;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

describe.runIf(chromiumPath !== null)('the CSP on every page in Chromium', () => {
  let server: WebAppServer;
  let browser: Browser;
  let pseudonym: string;
  const contexts: BrowserContext[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'prrt-csp-'));

  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebAppServer(), launchChromium()]);
    pseudonym = (await openPseudonymiser(server.store)).pseudonym('SD-001');
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A browser session of `role` (signed in through the API), or without one. */
  async function sessionOf(role: Role | null): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    await context.addInitScript(CSP_LISTENER);
    if (role !== null) {
      const login = await context.request.post(`${server.url}/api/login`, {
        data: { username: ACCOUNTS[role], password: PASSWORD },
        headers: { origin: server.url },
      });
      expect(login.status()).toBe(200);
    }
    return context;
  }

  test('the built page needs no inline script or style', () => {
    const index = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    const scripts = [...index.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
    expect(index).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
  });

  test('every file of web/dist is served with the CSP and the security headers', async () => {
    const files = filesUnder(WEB_DIST);
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => f.endsWith('.css'))).toBe(true);
    const problems: string[] = [];
    for (const file of files) {
      const path = `/${relative(WEB_DIST, file).split('\\').join('/')}`;
      const res = await fetch(server.url + path);
      expect(res.status, path).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(file)), path).toBe(true);
      for (const p of headerProblems(Object.fromEntries(res.headers))) problems.push(`${path}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  test('every page path, without a session and as each role, keeps to the CSP', async () => {
    const paths = (role: Role | null) => {
      // Without a session every path shows the sign-in page: a few of them are enough.
      if (role === null) return ['/', '/sign-in', '/dashboard', '/patients/SD-001', '/no-such-page'];
      const patient = role === 'researcher' ? pseudonym : 'SD-001';
      return [
        '/',
        '/sign-in',
        '/dashboard',
        '/patients',
        '/patients?site=midgut&sort=diagnosisDate',
        '/patients/new',
        `/patients/${patient}`,
        `/patients/${patient}/next-cycle`,
        '/import',
        '/accounts',
        '/audit',
        '/audit?action=login.success',
        '/no-such-page',
      ];
    };
    const problems: string[] = [];
    let answers = 0;
    for (const role of [null, ...ROLES]) {
      const who = role ?? 'anonymous';
      const context = await sessionOf(role);
      const page = await context.newPage();
      page.on('response', (res) => {
        if (!res.url().startsWith(server.url)) return;
        answers++;
        for (const p of headerProblems(res.headers())) problems.push(`${who} ${res.url()}: ${p}`);
      });
      page.on('console', (m) => {
        if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) problems.push(`${who}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`${who}: ${e.message}`));
      for (const path of paths(role)) {
        const res = await page.goto(server.url + path);
        expect(res?.status(), `${who} ${path}`).toBe(200);
        // The app has drawn its page (the sign-in form, or the signed-in layout) and settled.
        await page.locator('main').first().waitFor({ timeout: 30_000 });
        await page.waitForLoadState('networkidle', { timeout: 30_000 });
        const state = await page.evaluate(inertState);
        expect(state, `${who} ${path}`).toMatchObject({
          violations: [],
          handlers: [],
          inlineScripts: 0,
          foreignScripts: 0,
          styleElements: 0,
        });
      }
      await page.close();
    }
    expect(problems).toEqual([]);
    // Pages, scripts, styles and API answers were all looked at.
    expect(answers).toBeGreaterThan(4 * 13 * 2);
  }, 300_000);

  test('the HTML report is an attachment with the headers; opened, its own CSP allows no script', async () => {
    for (const role of [null, ...ROLES]) {
      const who = role ?? 'anonymous';
      const context = await sessionOf(role);
      const res = await context.request.get(`${server.url}/api/report.html?course=salvage`);
      expect(headerProblems(res.headers()), who).toEqual([]);
      const admitted = role === 'clinician' || role === 'researcher';
      expect(res.status(), who).toBe(admitted ? 200 : role === null ? 401 : 403);
      if (!admitted) continue;
      expect(res.headers()['content-disposition'], who).toMatch(
        /^attachment; filename="prrt-report-salvage\.html"$/,
      );
      const html = await res.text();
      const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
      expect(meta, who).not.toBeNull();
      const own = parseCsp(meta![1]!);
      expect(own.get('default-src'), who).toEqual(["'none'"]);
      expect(own.has('script-src'), who).toBe(false);
      expect(html).not.toMatch(/<script|\son[a-z]+=/i);
      const file = join(dir, `report-${who}.html`);
      writeFileSync(file, html);
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`file://${file}`);
      await page.locator('#swimmer svg').waitFor();
      const violations = await page.evaluate(cspViolations);
      expect(violations, who).toEqual([]);
      expect(errors, who).toEqual([]);
      await page.close();
    }
  }, 120_000);
});
