/**
 * The shapes shared by every protocol object. A protocol is plain data (`as const satisfies …`) whose
 * every parameter — every leaf except the top-level `name` — has a source in a `SourceMap`. A rule reads
 * its thresholds from the protocol it is given and names the parameter it used in its reasons.
 */
import type { Source } from '../explain.js';

/** Every protocol has a name, e.g. `ctcae-5.0`, `lutathera-label`, `erasmus-2010`. */
export interface ProtocolBase {
  readonly name: string;
}

/** A value that counts as one parameter: a number, string, boolean, null or a whole array. */
export type ProtocolLeaf = string | number | boolean | null | readonly unknown[];

/** The dotted paths of all leaves of `T`, e.g. `'platelets.grade2Below'`. */
export type LeafPath<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends ProtocolLeaf
    ? `${Prefix}${K}`
    : T[K] extends object
      ? LeafPath<T[K], `${Prefix}${K}.`>
      : `${Prefix}${K}`;
}[keyof T & string];

/** The parameter paths of a protocol: every leaf except the top-level `name`. */
export type ParameterPath<T> = Exclude<LeafPath<T>, 'name'>;

/** One source per parameter path of the protocol `T`; the compiler refuses a missing or unknown path. */
export type SourceMap<T> = { readonly [K in ParameterPath<T>]: Source };

function isLeaf(value: unknown): boolean {
  return value === null || typeof value !== 'object' || Array.isArray(value);
}

/** The parameter paths of a protocol object at run time (every leaf except the top-level `name`). */
export function parameterPaths(protocol: object): string[] {
  const out: string[] = [];
  const walk = (node: object, prefix: string): void => {
    for (const [key, value] of Object.entries(node)) {
      const path = `${prefix}${key}`;
      if (isLeaf(value)) out.push(path);
      else walk(value as object, `${path}.`);
    }
  };
  walk(protocol, '');
  return out.filter((p) => p !== 'name');
}

export interface SourceCheck {
  /** Parameters without a source. */
  readonly missing: readonly string[];
  /** Sources naming a parameter the protocol does not have. */
  readonly unknown: readonly string[];
  /** Sources whose citation is empty. */
  readonly empty: readonly string[];
}

/**
 * Checks at run time that every parameter of `protocol` has a source with a non-empty citation, and that
 * no source names a parameter the protocol lacks. Complete when all three lists are empty.
 */
export function checkSourcesComplete(
  protocol: object,
  sources: Readonly<Record<string, Source>>,
): SourceCheck {
  const paths = parameterPaths(protocol);
  const known = new Set(paths);
  const entries = Object.entries(sources);
  return {
    missing: paths.filter((p) => !Object.prototype.hasOwnProperty.call(sources, p)),
    unknown: entries.filter(([p]) => !known.has(p)).map(([p]) => p),
    empty: entries.filter(([, s]) => s.cite.trim() === '').map(([p]) => p),
  };
}

/** How a reason names the parameter it used: `protocol-name/parameter.path`, or the name alone. */
export function sourceRef(protocol: ProtocolBase, path?: string): string {
  return path === undefined ? protocol.name : `${protocol.name}/${path}`;
}

/** Parameters not yet confirmed against a primary source, for the report and the documentation. */
export function unverifiedParameters(sources: Readonly<Record<string, Source>>): string[] {
  return Object.entries(sources)
    .filter(([, s]) => !s.verified)
    .map(([p]) => p);
}
