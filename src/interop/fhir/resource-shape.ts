/**
 * The JSON shape of a bundle, checked before any resource is read: the bundle is an object whose `entry`
 * is an array of objects, each resource an object with a `resourceType`, and every element the import
 * reads has the JSON type FHIR gives it (a string, a number, a boolean, an object, an array of them).
 * A bundle parsed from any JSON text can hold anything; a wrong type is reported at its entry and
 * element (`Patient.identifier[0].value must be a string, not a number`) instead of being read as text.
 */
import type { ImportErrors } from './import-rows.js';

type Shape = 'string' | 'number' | 'boolean' | { readonly [element: string]: Shape } | readonly [Shape];

const coding = { system: 'string', code: 'string' } as const;
const concept = { coding: [coding], text: 'string' } as const;
const reference = { reference: 'string' } as const;
const quantity = { value: 'number', unit: 'string', code: 'string', system: 'string' } as const;
const extension = {
  url: 'string',
  valueDate: 'string',
  valueString: 'string',
  valueDecimal: 'number',
  valueInteger: 'number',
  valuePositiveInt: 'number',
  valueBoolean: 'boolean',
  valueQuantity: quantity,
} as const;
const identifier = { system: 'string', value: 'string' } as const;

/** What every resource may carry, then the elements each kind of resource is read from. */
const COMMON = { id: 'string', meta: { tag: [coding] }, extension: [extension] } as const;

const RESOURCES: Readonly<Record<string, Shape>> = {
  Patient: {
    ...COMMON,
    identifier: [identifier],
    name: [{ text: 'string' }],
    gender: 'string',
    birthDate: 'string',
    deceasedDateTime: 'string',
  },
  Condition: {
    ...COMMON,
    code: concept,
    subject: reference,
    bodySite: [concept],
    onsetDateTime: 'string',
    stage: [{ summary: concept }],
  },
  CarePlan: {
    ...COMMON,
    subject: reference,
    identifier: [identifier],
    category: [concept],
    activity: [
      {
        detail: {
          scheduledTiming: { repeat: { count: 'number' } },
          quantity,
          statusReason: concept,
        },
      },
    ],
  },
  MedicationAdministration: {
    ...COMMON,
    subject: reference,
    supportingInformation: [reference],
    effectiveDateTime: 'string',
    dosage: { dose: quantity },
  },
  Observation: {
    ...COMMON,
    code: concept,
    subject: reference,
    effectiveDateTime: 'string',
    valueQuantity: quantity,
    referenceRange: [{ low: quantity, high: quantity }],
    component: [
      { code: concept, valueQuantity: quantity, valueCodeableConcept: concept, valueBoolean: 'boolean' },
    ],
    bodySite: concept,
    note: [{ text: 'string' }],
    partOf: [reference],
  },
  AdverseEvent: {
    ...COMMON,
    subject: reference,
    date: 'string',
    category: [concept],
    event: concept,
  },
};

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function expected(shape: Shape): string {
  if (typeof shape === 'string') return `a ${shape}`;
  return Array.isArray(shape) ? 'an array' : 'an object';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports the first wrong type under `value` (an element present is checked, one absent is fine). */
function checkValue(value: unknown, shape: Shape, path: string): string | null {
  const wrong = () => `${path} must be ${expected(shape)}, not ${typeOf(value)}`;
  if (typeof shape === 'string') {
    if (typeof value !== shape) return wrong();
    if (shape === 'number' && !Number.isFinite(value)) return `${path} must be a finite number`;
    return null;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return wrong();
    const item = (shape as readonly [Shape])[0];
    for (let i = 0; i < value.length; i++) {
      const problem = checkValue(value[i], item, `${path}[${String(i)}]`);
      if (problem !== null) return problem;
    }
    return null;
  }
  if (!isObject(value)) return wrong();
  for (const [element, inner] of Object.entries(shape as Readonly<Record<string, Shape>>)) {
    if (!Object.hasOwn(value, element) || value[element] === undefined) continue;
    const problem = checkValue(value[element], inner, `${path}.${element}`);
    if (problem !== null) return problem;
  }
  return null;
}

/**
 * Checks the shape of `bundle`; every problem goes to `errors`, one per entry at most. Gives back the
 * entries when the bundle itself is usable (an object with an array of entries, or none), else null.
 */
export function checkBundleShape(bundle: unknown, errors: ImportErrors): readonly unknown[] | null {
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') {
    errors.add(
      null,
      'resourceType',
      'not a FHIR Bundle: the file must hold one JSON object with resourceType Bundle',
    );
    return null;
  }
  const entries = bundle.entry ?? [];
  if (!Array.isArray(entries)) {
    errors.add(null, 'Bundle.entry', `Bundle.entry must be an array, not ${typeOf(entries)}`);
    return null;
  }
  entries.forEach((entry: unknown, i) => {
    if (!isObject(entry)) {
      errors.add(i, 'entry', `the entry must be an object, not ${typeOf(entry)}`);
      return;
    }
    if (entry.fullUrl !== undefined && typeof entry.fullUrl !== 'string') {
      errors.add(i, 'entry.fullUrl', `entry.fullUrl must be a string, not ${typeOf(entry.fullUrl)}`);
      return;
    }
    const r = entry.resource;
    if (r === undefined) return;
    if (!isObject(r)) {
      errors.add(i, 'entry.resource', `entry.resource must be an object, not ${typeOf(r)}`);
      return;
    }
    if (typeof r.resourceType !== 'string' || r.resourceType === '') {
      errors.add(i, 'resourceType', 'the resource has no resourceType');
      return;
    }
    const shape = Object.hasOwn(RESOURCES, r.resourceType) ? RESOURCES[r.resourceType] : undefined;
    const problem = checkValue(r, shape ?? COMMON, r.resourceType);
    if (problem !== null) errors.add(i, problem.split(' ')[0]!, problem);
  });
  return entries as unknown[];
}
