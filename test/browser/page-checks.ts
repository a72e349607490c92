/**
 * Checks that run inside a page (passed to `page.evaluate`), for the CSP and hostile-content tests:
 * the Content-Security-Policy violations the page reported, whether anything of a payload became markup
 * or ran, and whether strings are shown verbatim. Each function is self-contained, as `page.evaluate`
 * sends its source to the page. The few browser globals they use are declared here, as the tests are
 * compiled without the DOM library.
 */

interface PageElement {
  readonly tagName: string;
  readonly textContent: string | null;
  readonly attributes: Iterable<{ readonly name: string }>;
  getAttribute(name: string): string | null;
}
interface PageDocument {
  querySelectorAll(selector: string): Iterable<PageElement> & { readonly length: number };
  readonly scripts: Iterable<{ readonly src: string }>;
}
declare const document: PageDocument;
declare const window: { readonly __pwned?: unknown; readonly __cspViolations?: string[] };
declare const location: { readonly origin: string };

/** An init script: collects every `securitypolicyviolation` of the document into `window.__cspViolations`. */
export const CSP_LISTENER = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(
      e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber + ' ' + (e.sample || ''),
    );
  });
`;

export interface InertState {
  /** What the payloads set when they run. */
  readonly pwned: unknown;
  readonly violations: readonly string[];
  /** Elements with an event-handler attribute (`onerror`, `onload`, …). */
  readonly handlers: readonly string[];
  readonly inlineScripts: number;
  /** Scripts from anywhere but this origin. */
  readonly foreignScripts: number;
  readonly styleElements: number;
  readonly imgX: number;
  readonly javascriptLinks: readonly string[];
}

export function inertState(): InertState {
  const all = [...document.querySelectorAll('*')];
  return {
    pwned: window.__pwned,
    violations: window.__cspViolations ?? ['the violation listener is missing'],
    handlers: all.flatMap((e) =>
      [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.tagName} ${a.name}`),
    ),
    inlineScripts: document.querySelectorAll('script:not([src])').length,
    foreignScripts: [...document.scripts].filter((s) => !s.src.startsWith(location.origin)).length,
    styleElements: document.querySelectorAll('style').length,
    imgX: document.querySelectorAll('img[src="x"]').length,
    javascriptLinks: [...document.querySelectorAll('a[href]')]
      .map((a) => a.getAttribute('href') ?? '')
      .filter((h) => /^\s*javascript:/i.test(h)),
  };
}

/** The strings of `wanted` that no element matching `selector` has as its whole text. */
export function missingVerbatim({
  selector,
  wanted,
}: {
  readonly selector: string;
  readonly wanted: readonly string[];
}): string[] {
  const texts = new Set([...document.querySelectorAll(selector)].map((e) => e.textContent));
  return wanted.filter((w) => !texts.has(w));
}

/** How many elements matching `selector` have `text` as their whole text. */
export function countVerbatim({
  selector,
  text,
}: {
  readonly selector: string;
  readonly text: string;
}): number {
  return [...document.querySelectorAll(selector)].filter((e) => e.textContent === text).length;
}

/** The violations reported so far. */
export function cspViolations(): readonly string[] {
  return window.__cspViolations ?? ['the violation listener is missing'];
}

/** What the payloads set when they run. */
export function pwned(): unknown {
  return window.__pwned;
}
