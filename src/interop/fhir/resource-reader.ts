/**
 * Reads the resources of a bundle into exchange-format rows (the reverse of the resource builders):
 * one reader per resource kind, references resolved through the bundle's entries by `Type/id` or
 * `fullUrl`. Anything that cannot be read is reported at its entry and element.
 */
import type {
  AdverseEvent,
  BundleEntry,
  CarePlan,
  CodeableConcept,
  Condition,
  Extension,
  MedicationAdministration,
  Observation,
  Patient,
  Quantity,
  Reference,
  Resource,
} from '@medplum/fhirtypes';
import type { LabTest } from '../../clinical/model.js';
import { Concept, Ext, LAB_LOINC, LOINC, System } from './fhir-codes.js';
import { findExtension, labUnitOf } from './fhir-values.js';
import { ImportRow, type ImportErrors, type ImportRows } from './import-rows.js';
import { GENDER } from './patient-resources.js';

const codeIn = (cc: CodeableConcept | undefined, system: string): string | undefined =>
  cc?.coding?.find((c) => c.system === system)?.code;

const conceptCode = (cc: CodeableConcept | undefined): string | undefined => codeIn(cc, System.concept);

const SEX_OF_GENDER: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(GENDER).map(([sex, gender]) => [gender, sex]),
);

const TEST_OF_LOINC: Readonly<Record<string, LabTest>> = Object.fromEntries(
  Object.entries(LAB_LOINC).map(([test, l]) => [l.code, test as LabTest]),
);

export class ResourceReader {
  private readonly rows: ImportRows = {
    patients: [],
    courses: [],
    cycles: [],
    labs: [],
    lesions: [],
    events: [],
    dosimetry: [],
  };
  private readonly byRef = new Map<string, number>();
  private readonly conditions: { row: ImportRow; patientId: string }[] = [];

  constructor(
    private readonly entries: readonly BundleEntry[],
    private readonly errors: ImportErrors,
  ) {
    entries.forEach((e, i) => {
      const r = e.resource;
      if (r?.id !== undefined) this.byRef.set(`${r.resourceType}/${r.id}`, i);
      if (e.fullUrl !== undefined) this.byRef.set(e.fullUrl, i);
    });
  }

  read(r: Resource, i: number): void {
    switch (r.resourceType) {
      case 'Patient':
        this.patient(r, i);
        return;
      case 'Condition':
        this.condition(r, i);
        return;
      case 'CarePlan':
        this.carePlan(r, i);
        return;
      case 'MedicationAdministration':
        this.administration(r, i);
        return;
      case 'Observation':
        this.observation(r, i);
        return;
      case 'AdverseEvent':
        this.adverseEvent(r, i);
        return;
      default:
        this.errors.add(i, r.resourceType, `a ${r.resourceType} has no place in a PRRT cohort`);
    }
  }

  /** The rows, each patient row completed with its Condition. */
  finish(): ImportRows {
    for (const { row, patientId } of this.conditions) {
      const patient = this.rows.patients.find((p) => p.cells.patient_id === patientId);
      if (patient === undefined) continue;
      if (patient.cells.primary_site !== undefined) {
        this.errors.add(
          row.entry,
          'Condition',
          `patient ${patientId} has more than one neuroendocrine tumour Condition`,
        );
        continue;
      }
      for (const [column, value] of Object.entries(row.cells)) {
        const s = row.source(column);
        patient.set(column, value, s.path, s.entry);
      }
    }
    return this.rows;
  }

  // ---- references and elements ----

  private resolve<T extends Resource['resourceType']>(
    ref: Reference | undefined,
    type: T,
    i: number,
    path: string,
  ): Extract<Resource, { resourceType: T }> | undefined {
    const at = ref?.reference === undefined ? undefined : this.byRef.get(ref.reference);
    const r = at === undefined ? undefined : this.entries[at]?.resource;
    if (r?.resourceType !== type) {
      this.errors.add(
        i,
        path,
        `the reference ${JSON.stringify(ref?.reference ?? null)} does not name a ${type} of the bundle`,
      );
      return undefined;
    }
    return r as Extract<Resource, { resourceType: T }>;
  }

  private identifier(r: Patient | CarePlan, system: string): string | undefined {
    return r.identifier?.find((x) => x.system === system)?.value;
  }

  private patientIdOf(ref: Reference | undefined, i: number, path: string): string | undefined {
    const p = this.resolve(ref, 'Patient', i, path);
    if (p === undefined) return undefined;
    const id = this.identifier(p, System.patientId);
    if (id === undefined)
      this.errors.add(i, path, `the Patient it names has no identifier of ${System.patientId}`);
    return id;
  }

  private courseIdOf(ref: Reference | undefined, i: number, path: string): string | undefined {
    const c = this.resolve(ref, 'CarePlan', i, path);
    if (c === undefined) return undefined;
    const id = this.identifier(c, System.courseId);
    if (id === undefined)
      this.errors.add(i, path, `the CarePlan it names has no identifier of ${System.courseId}`);
    return id;
  }

  /** A quantity's value when its unit is `unit` (UCUM code or unit text); reports another unit. */
  private quantity(q: Quantity | undefined, unit: string, i: number, path: string): number | undefined {
    if (q === undefined) return undefined;
    if ((q.code ?? q.unit) !== unit) {
      this.errors.add(
        i,
        path,
        `expected a quantity in ${unit}, found ${JSON.stringify(q.code ?? q.unit ?? null)}`,
      );
      return undefined;
    }
    return q.value;
  }

  private ext(extensions: Extension[] | undefined, url: string): Extension | undefined {
    return findExtension(extensions, url);
  }

  // ---- resources ----

  private patient(r: Patient, i: number): void {
    const row = new ImportRow(i, 'Patient');
    row.set(
      'patient_id',
      this.identifier(r, System.patientId),
      `Patient.identifier[system=${System.patientId}]`,
    );
    row.set('name', r.name?.[0]?.text, 'Patient.name[0].text');
    row.set('mrn', this.identifier(r, System.mrn), `Patient.identifier[system=${System.mrn}]`);
    if (r.gender !== undefined) {
      const sex = Object.hasOwn(SEX_OF_GENDER, r.gender) ? SEX_OF_GENDER[r.gender] : undefined;
      if (sex === undefined)
        this.errors.add(
          i,
          'Patient.gender',
          `gender ${r.gender} has no sex of the exchange format (F, M, U)`,
        );
      row.set('sex', sex, 'Patient.gender');
    }
    row.set('birth_date', r.birthDate, 'Patient.birthDate');
    row.set('death_date', r.deceasedDateTime, 'Patient.deceasedDateTime');
    const x = r.extension;
    row.set(
      'last_contact_date',
      this.ext(x, Ext.lastContactDate)?.valueDate,
      `Patient.extension[${Ext.lastContactDate}]`,
    );
    row.set(
      'weight_kg',
      this.quantity(this.ext(x, Ext.weight)?.valueQuantity, 'kg', i, 'Patient.extension'),
      `Patient.extension[${Ext.weight}]`,
    );
    row.set('karnofsky', this.ext(x, Ext.karnofsky)?.valueInteger, `Patient.extension[${Ext.karnofsky}]`);
    row.set(
      'hypertension',
      this.ext(x, Ext.hypertension)?.valueBoolean,
      `Patient.extension[${Ext.hypertension}]`,
    );
    row.set('diabetes', this.ext(x, Ext.diabetes)?.valueBoolean, `Patient.extension[${Ext.diabetes}]`);
    this.rows.patients.push(row);
  }

  private condition(r: Condition, i: number): void {
    if (conceptCode(r.code) !== conceptCode(Concept.neuroendocrineTumour)) {
      this.errors.add(
        i,
        'Condition.code',
        'only the neuroendocrine tumour Condition has a place in a PRRT cohort',
      );
      return;
    }
    const patientId = this.patientIdOf(r.subject, i, 'Condition.subject');
    if (patientId === undefined) return;
    const row = new ImportRow(i, 'Condition');
    const site = r.bodySite?.map((b) => codeIn(b, System.primarySite)).find((c) => c !== undefined);
    row.set('primary_site', site, 'Condition.bodySite');
    row.set('diagnosis_date', r.onsetDateTime, 'Condition.onsetDateTime');
    row.set('grade', codeIn(r.stage?.[0]?.summary, System.grade), 'Condition.stage[0].summary');
    row.set(
      'ki67_percent',
      this.ext(r.extension, Ext.ki67)?.valueDecimal,
      `Condition.extension[${Ext.ki67}]`,
    );
    this.conditions.push({ row, patientId });
  }

  private carePlan(r: CarePlan, i: number): void {
    const row = new ImportRow(i, 'CarePlan');
    row.set('patient_id', this.patientIdOf(r.subject, i, 'CarePlan.subject'), 'CarePlan.subject');
    row.set(
      'course_id',
      this.identifier(r, System.courseId),
      `CarePlan.identifier[system=${System.courseId}]`,
    );
    row.set(
      'kind',
      r.category?.map((c) => codeIn(c, System.courseKind)).find((c) => c !== undefined),
      'CarePlan.category',
    );
    const detail = r.activity?.[0]?.detail;
    const d = 'CarePlan.activity[0].detail';
    row.set('intended_cycles', detail?.scheduledTiming?.repeat?.count, `${d}.scheduledTiming.repeat.count`);
    row.set(
      'intended_activity_gbq',
      this.quantity(detail?.quantity, 'GBq', i, `${d}.quantity`),
      `${d}.quantity`,
    );
    row.set('stop_reason', codeIn(detail?.statusReason, System.stopReason), `${d}.statusReason`);
    this.rows.courses.push(row);
  }

  private administration(r: MedicationAdministration, i: number): void {
    const row = new ImportRow(i, 'MedicationAdministration');
    const m = 'MedicationAdministration';
    row.set('patient_id', this.patientIdOf(r.subject, i, `${m}.subject`), `${m}.subject`);
    const course =
      r.supportingInformation?.find((s) => s.reference?.startsWith('CarePlan/') ?? false) ??
      r.supportingInformation?.[0];
    row.set(
      'course_id',
      this.courseIdOf(course, i, `${m}.supportingInformation`),
      `${m}.supportingInformation`,
    );
    row.set(
      'cycle',
      this.ext(r.extension, Ext.cycleNumber)?.valuePositiveInt,
      `${m}.extension[${Ext.cycleNumber}]`,
    );
    const written = this.ext(r.extension, Ext.dateTimeAsWritten)?.valueString;
    row.set('administered_at', written ?? r.effectiveDateTime, `${m}.effectiveDateTime`);
    row.set('activity_gbq', this.quantity(r.dosage?.dose, 'GBq', i, `${m}.dosage.dose`), `${m}.dosage.dose`);
    const planned = this.ext(r.extension, Ext.plannedActivity)?.valueQuantity;
    row.set(
      'planned_activity_gbq',
      this.quantity(planned, 'GBq', i, `${m}.extension`),
      `${m}.extension[${Ext.plannedActivity}]`,
    );
    this.rows.cycles.push(row);
  }

  private observation(r: Observation, i: number): void {
    const loinc = codeIn(r.code, LOINC);
    const test =
      (loinc === undefined || !Object.hasOwn(TEST_OF_LOINC, loinc) ? undefined : TEST_OF_LOINC[loinc]) ??
      (codeIn(r.code, System.labTest) as LabTest | undefined);
    if (test !== undefined && test in LAB_LOINC) {
      this.lab(r, i, test);
      return;
    }
    switch (conceptCode(r.code)) {
      case conceptCode(Concept.lesionMeasurement):
        this.lesion(r, i);
        return;
      case conceptCode(Concept.clinicalProgression):
        this.progression(r, i);
        return;
      case conceptCode(Concept.dosimetry):
        this.dosimetry(r, i);
        return;
      default:
        this.errors.add(
          i,
          'Observation.code',
          'not an Observation of a PRRT cohort: a laboratory test of the format, a lesion measurement, clinical progression or dosimetry',
        );
    }
  }

  private lab(r: Observation, i: number, test: LabTest): void {
    const row = new ImportRow(i, 'Observation');
    row.set('patient_id', this.patientIdOf(r.subject, i, 'Observation.subject'), 'Observation.subject');
    const written = this.ext(r.extension, Ext.dateTimeAsWritten)?.valueString;
    row.set('taken_at', written ?? r.effectiveDateTime, 'Observation.effectiveDateTime');
    row.set('test', test, 'Observation.code');
    const q = r.valueQuantity;
    row.set('value', q?.value, 'Observation.valueQuantity.value');
    if (q !== undefined) {
      const unit = labUnitOf(test, q);
      if (unit === undefined) {
        this.errors.add(
          i,
          'Observation.valueQuantity',
          `${JSON.stringify(q.unit ?? q.code ?? null)} is not a unit of ${test}`,
        );
      }
      row.set('unit', unit, 'Observation.valueQuantity.unit');
    }
    const range = r.referenceRange?.[0];
    row.set('lln', range?.low?.value, 'Observation.referenceRange[0].low');
    row.set('uln', range?.high?.value, 'Observation.referenceRange[0].high');
    this.rows.labs.push(row);
  }

  private component(r: Observation, concept: CodeableConcept) {
    const code = conceptCode(concept);
    const index = r.component?.findIndex((c) => conceptCode(c.code) === code) ?? -1;
    return {
      c: index < 0 ? undefined : r.component?.[index],
      path: `Observation.component[${index < 0 ? (code ?? '') : index}]`,
    };
  }

  private lesion(r: Observation, i: number): void {
    const row = new ImportRow(i, 'Observation');
    row.set('patient_id', this.patientIdOf(r.subject, i, 'Observation.subject'), 'Observation.subject');
    row.set('scan_date', r.effectiveDateTime, 'Observation.effectiveDateTime');
    row.set(
      'lesion_id',
      this.ext(r.extension, Ext.lesionId)?.valueString,
      `Observation.extension[${Ext.lesionId}]`,
    );
    row.set('organ', r.bodySite?.text, 'Observation.bodySite.text');
    const role = this.component(r, Concept.lesionRole);
    row.set('role', codeIn(role.c?.valueCodeableConcept, System.lesionRole), role.path);
    const node = this.component(r, Concept.lymphNode);
    row.set('lymph_node', node.c?.valueBoolean, node.path);
    for (const [column, concept] of [
      ['longest_mm', Concept.longest],
      ['perpendicular_mm', Concept.perpendicular],
      ['short_axis_mm', Concept.shortAxis],
    ] as const) {
      const x = this.component(r, concept);
      row.set(column, this.quantity(x.c?.valueQuantity, 'mm', i, x.path), x.path);
    }
    const status = this.component(r, Concept.lesionStatus);
    row.set('status', codeIn(status.c?.valueCodeableConcept, System.lesionStatus), status.path);
    this.rows.lesions.push(row);
  }

  private progression(r: Observation, i: number): void {
    const row = new ImportRow(i, 'Observation');
    row.set('patient_id', this.patientIdOf(r.subject, i, 'Observation.subject'), 'Observation.subject');
    row.set('date', r.effectiveDateTime, 'Observation.effectiveDateTime');
    row.set('event', 'clinical_progression', 'Observation.code');
    row.set(
      'term',
      this.ext(r.extension, Ext.eventTerm)?.valueString,
      `Observation.extension[${Ext.eventTerm}]`,
    );
    row.set(
      'grade',
      this.ext(r.extension, Ext.ctcaeGrade)?.valueInteger,
      `Observation.extension[${Ext.ctcaeGrade}]`,
    );
    row.set('note', r.note?.[0]?.text, 'Observation.note[0].text');
    this.rows.events.push(row);
  }

  private adverseEvent(r: AdverseEvent, i: number): void {
    const row = new ImportRow(i, 'AdverseEvent');
    row.set('patient_id', this.patientIdOf(r.subject, i, 'AdverseEvent.subject'), 'AdverseEvent.subject');
    row.set('date', r.date, 'AdverseEvent.date');
    row.set(
      'event',
      r.category?.map((c) => codeIn(c, System.eventKind)).find((c) => c !== undefined),
      'AdverseEvent.category',
    );
    row.set('term', r.event?.text, 'AdverseEvent.event.text');
    row.set(
      'grade',
      this.ext(r.extension, Ext.ctcaeGrade)?.valueInteger,
      `AdverseEvent.extension[${Ext.ctcaeGrade}]`,
    );
    row.set('note', this.ext(r.extension, Ext.note)?.valueString, `AdverseEvent.extension[${Ext.note}]`);
    this.rows.events.push(row);
  }

  private dosimetry(r: Observation, i: number): void {
    const row = new ImportRow(i, 'Observation');
    row.set('patient_id', this.patientIdOf(r.subject, i, 'Observation.subject'), 'Observation.subject');
    const admin = this.resolve(r.partOf?.[0], 'MedicationAdministration', i, 'Observation.partOf[0]');
    if (admin !== undefined) {
      const course = admin.supportingInformation?.find((s) => s.reference?.startsWith('CarePlan/') ?? false);
      row.set('course_id', this.courseIdOf(course, i, 'Observation.partOf[0]'), 'Observation.partOf[0]');
      row.set('cycle', this.ext(admin.extension, Ext.cycleNumber)?.valuePositiveInt, 'Observation.partOf[0]');
    }
    row.set('region', r.bodySite?.text, 'Observation.bodySite.text');
    for (const [column, concept, unit] of [
      ['hours_after', Concept.hoursAfter, 'h'],
      ['activity_mbq', Concept.activity, 'MBq'],
      ['percent_ia', Concept.percentIa, '%'],
      ['concentration_mbq_per_ml', Concept.concentration, 'MBq/mL'],
      ['mass_g', Concept.mass, 'g'],
      ['hematocrit', Concept.hematocrit, 'L/L'],
    ] as const) {
      const x = this.component(r, concept);
      row.set(column, this.quantity(x.c?.valueQuantity, unit, i, x.path), x.path);
    }
    this.rows.dosimetry.push(row);
  }
}
