/**
 * Request bodies of clinical records: the zod schema that documents them (every field of the exchange
 * format's row, as text, number, boolean or null), and the parse that turns a body into a model object
 * with the row schema, reporting every offending field at once as `body.<field>`. Key fields named by the
 * URL are taken from the URL; a body that names them differently is refused, since a key cannot change.
 * A field the row does not have is refused too.
 */
import { z } from 'zod';
import { cellText } from '../../clinical/schemas/index.js';
import { PrrtError, type ErrorDetail } from '../../errors.js';
import type { RecordKind } from './record-kinds.js';

const cell = z
  .union([z.string(), z.number(), z.boolean(), z.null()], {
    error: 'must be a text, a number, true, false or null (one cell of the exchange format)',
  })
  .optional();

/** The documented body of a record kind, without the fields the URL gives; unknown fields are refused. */
export function recordBodySchema(
  kind: RecordKind<object, object>,
  fromUrl: readonly string[],
  partial = false,
) {
  const fields = Object.keys(kind.shape).filter((f) => !fromUrl.includes(f));
  const shape = Object.fromEntries(
    fields.map((f) => [
      f,
      cell.meta({
        description: `${kind.keyFields.includes(f) ? 'key field' : 'field'} \`${f}\` of the exchange format${
          partial ? ' (only the fields to change)' : ''
        }`,
      }),
    ]),
  );
  // URL key fields may be repeated in the body, as long as they match.
  for (const f of fromUrl)
    shape[f] = cell.meta({ description: `\`${f}\`: optional here, taken from the URL` });
  // Unknown fields are reported by `parseRecord`, together with every other problem of the body.
  return z.looseObject(shape);
}

/** `patch` over `current`, then the URL's key fields: the raw row a PATCH validates. */
export function mergeForPatch(
  current: Readonly<Record<string, unknown>>,
  patch: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) merged[k] = v;
  return merged;
}

/**
 * Validates `body` as a row of `kind` with the URL's values for the key fields in `fromUrl`. Throws
 * INVALID_INPUT (400) naming every offending field — ACTIVITY_UNIT when the only problems are activities
 * that look like MBq or mCi — and nothing is written.
 */
export function parseRecord<T extends object>(
  kind: RecordKind<T, object>,
  body: Readonly<Record<string, unknown>>,
  fromUrl: Readonly<Record<string, unknown>>,
): T {
  const details: ErrorDetail[] = [];
  for (const [field, value] of Object.entries(fromUrl)) {
    const given = body[field];
    if (given !== undefined && given !== null && cellText(given) !== cellText(value)) {
      details.push({
        field: `body.${field}`,
        message: `${cellText(given)} differs from the URL's ${cellText(value)}: a key field cannot change (delete the record and create it anew)`,
      });
    }
  }
  const known = Object.keys(kind.shape);
  for (const field of Object.keys(body)) {
    if (!known.includes(field)) {
      details.push({
        field: `body.${field}`,
        message: `${field} is not a field of a ${kind.entity}: use ${known.join(', ')}`,
      });
    }
  }
  const raw = { ...body, ...fromUrl };
  const r = kind.schema.safeParse(raw);
  if (r.success && details.length === 0) return r.data;
  if (!r.success) {
    for (const issue of r.error.issues) {
      const path = issue.path.map(String).join('.');
      details.push({ field: path === '' ? 'body' : `body.${path}`, message: issue.message });
    }
  }
  const at = (d: ErrorDetail) => {
    const i = known.indexOf((d.field ?? '').replace(/^body\./, ''));
    return i < 0 ? known.length : i;
  };
  details.sort((a, b) => at(a) - at(b));
  const activityOnly = details.every(
    (d) => /_gbq$/.test(d.field ?? '') && /looks like|MBq or mCi/.test(d.message),
  );
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  throw new PrrtError(
    activityOnly ? 'ACTIVITY_UNIT' : 'INVALID_INPUT',
    `the ${kind.entity} has ${String(details.length)} invalid field(s): ${fields}`,
    details,
  );
}
