/**
 * Canonical JSON: object keys sorted at every level, no white space, so that the same value always
 * gives the same text (and the same hash). Written out directly rather than by sorting copies of every
 * object, as it runs for each audit entry; the text is exactly `JSON.stringify` of the value with its
 * keys sorted (members whose value JSON leaves out, such as undefined, are left out).
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

function write(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: unknown) => write(v) ?? 'null').join(',')}]`;
  const object = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(object).sort()) {
    const text = write(object[key]);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${members.join(',')}}`;
}
