/**
 * Data entry and correction for clinicians: the patient's own fields and every course, cycle, lab value,
 * lesion measurement and event, each listed with a button that opens its form, and a button per kind
 * to add one. After a save the page reads the records and the derived values again.
 */
import { useState } from 'react';
import { label } from '../../format';
import type { PatientRecords } from './patient-data';
import { RecordForm } from './record-form';
import {
  RECORD_KINDS,
  text,
  type RecordEnvelope,
  type RecordKindName,
  type WebRecordKind,
} from './record-kinds';

interface Editing {
  readonly kind: WebRecordKind;
  readonly envelope: RecordEnvelope | null;
}

const LISTS: readonly {
  readonly kind: RecordKindName;
  readonly key: keyof PatientRecords;
  readonly columns: readonly string[];
}[] = [
  {
    kind: 'course',
    key: 'courses',
    columns: ['kind', 'intended_cycles', 'intended_activity_gbq', 'stop_reason'],
  },
  { kind: 'cycle', key: 'cycles', columns: ['administered_at', 'activity_gbq', 'planned_activity_gbq'] },
  { kind: 'lab', key: 'labs', columns: ['value', 'unit', 'lln', 'uln'] },
  { kind: 'lesion', key: 'lesions', columns: ['organ', 'role', 'longest_mm', 'perpendicular_mm', 'status'] },
  { kind: 'event', key: 'events', columns: ['grade', 'note'] },
];

export function RecordsSection({
  patientId,
  records,
  onChanged,
}: {
  readonly patientId: string;
  readonly records: PatientRecords;
  readonly onChanged: (message: string) => void;
}) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const close = () => {
    setEditing(null);
  };
  const saved = (kind: WebRecordKind, before: RecordEnvelope | null) => (env: RecordEnvelope | null) => {
    setEditing(null);
    const what = kind.describe(env?.record ?? before?.record ?? {});
    onChanged(
      env === null
        ? `Deleted ${what}.`
        : before === null
          ? `Saved the new ${what}.`
          : `Saved the correction of ${what}.`,
    );
  };
  const form =
    editing === null ? null : (
      <RecordForm
        key={`${editing.kind.name}-${editing.envelope === null ? 'new' : editing.kind.itemUrl(patientId, editing.envelope.record)}`}
        kind={editing.kind}
        patientId={patientId}
        envelope={editing.envelope}
        onSaved={saved(editing.kind, editing.envelope)}
        onCancel={close}
      />
    );
  return (
    <div className="records">
      <div className="button-row">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setEditing({ kind: RECORD_KINDS.patient, envelope: records });
          }}
        >
          Correct the patient's fields
        </button>
        {LISTS.map((l) => (
          <button
            key={l.kind}
            type="button"
            className="secondary"
            onClick={() => {
              setEditing({ kind: RECORD_KINDS[l.kind], envelope: null });
            }}
          >
            Add a {RECORD_KINDS[l.kind].label}
          </button>
        ))}
      </div>
      {form === null ? null : <div className="record-form-panel">{form}</div>}
      {LISTS.map((l) => {
        const kind = RECORD_KINDS[l.kind];
        const list = records[l.key] as readonly RecordEnvelope[];
        return (
          <details key={l.kind} className="record-list" id={`records-${l.kind}`}>
            <summary>
              {label(l.key)} ({list.length})
            </summary>
            {list.length === 0 ? (
              <p className="muted">None.</p>
            ) : (
              <div className="table-wrap">
                <table className="data">
                  <thead>
                    <tr>
                      <th scope="col">{kind.label}</th>
                      {l.columns.map((c) => (
                        <th key={c} scope="col">
                          {label(c)}
                        </th>
                      ))}
                      <th scope="col">version</th>
                      <th scope="col">
                        <span className="visually-hidden">actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((env) => {
                      const name = kind.describe(env.record);
                      return (
                        <tr key={kind.itemUrl(patientId, env.record)}>
                          <th scope="row">{name}</th>
                          {l.columns.map((c) => (
                            <td key={c}>{text(env.record[c]) || '—'}</td>
                          ))}
                          <td className="num">{String(env.version)}</td>
                          <td>
                            <button
                              type="button"
                              className="secondary small"
                              aria-label={`Correct ${name}`}
                              onClick={() => {
                                setEditing({ kind, envelope: env });
                              }}
                            >
                              Correct
                            </button>
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </details>
        );
      })}
    </div>
  );
}
