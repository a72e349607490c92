/**
 * The form that enters or corrects one record. Every field has its label; the values are checked with
 * the API's own row schema before sending, and the server's 400 `details` are shown next to the fields
 * they name (an activity above 15 GBq, for instance, with its MBq / mCi reading).
 *
 * A correction sends only the fields changed since the record was read, with `If-Match`. When someone
 * else changed the record meanwhile (409), the form reads their version and shows it beside yours;
 * "Apply my changes to their version" keeps every field you changed and takes theirs for the others, on
 * the new version, so nothing typed is lost.
 */
import { useId, useState, type SubmitEvent } from 'react';
import { api, ApiError, errorText } from '../../api';
import {
  bodyOf,
  formValues,
  text,
  validate,
  type FieldSpec,
  type RecordEnvelope,
  type RecordValues,
  type WebRecordKind,
} from './record-kinds';

interface Conflict {
  readonly theirs: RecordEnvelope;
}

export interface RecordFormProps {
  readonly kind: WebRecordKind;
  /** The patient the record belongs to; null when a new patient is entered. */
  readonly patientId: string | null;
  /** The record as read, or null to create one. */
  readonly envelope: RecordEnvelope | null;
  /** Values to start a new record with (e.g. the course id). */
  readonly initial?: Readonly<Record<string, string>>;
  readonly onSaved: (saved: RecordEnvelope | null) => void;
  readonly onCancel: () => void;
}

const ifMatch = (version: number) => ({ 'if-match': `"${String(version)}"` });

export function RecordForm({ kind, patientId, envelope, initial, onSaved, onCancel }: RecordFormProps) {
  const formId = useId();
  const creating = envelope === null;
  const [values, setValues] = useState<Record<string, string>>(() => ({
    ...formValues(kind, envelope?.record ?? null),
    ...(initial ?? {}),
  }));
  const [base, setBase] = useState<RecordValues | null>(envelope?.record ?? null);
  const [version, setVersion] = useState<number | null>(envelope?.version ?? null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState(false);

  const editable = (f: FieldSpec) => creating || !kind.keyFields.includes(f.name);
  const changed = (name: string) => base === null || (values[name] ?? '') !== text(base[name]);
  const ownId = patientId ?? values.patient_id ?? '';

  const showError = (e: unknown) => {
    if (e instanceof ApiError && e.details.length > 0) {
      const byField: Record<string, string> = {};
      const other: string[] = [];
      for (const d of e.details) {
        const f = (d.field ?? '').replace(/^body\./, '');
        if (kind.fields.some((x) => x.name === f)) {
          byField[f] = byField[f] === undefined ? d.message : `${byField[f]}; ${d.message}`;
        } else other.push(d.field === undefined ? d.message : `${d.field}: ${d.message}`);
      }
      setErrors(byField);
      setFormError(other.length > 0 ? `${e.message} (${other.join('; ')})` : e.message);
    } else {
      setFormError(errorText(e));
    }
  };

  const save = async () => {
    setNotice(null);
    setFormError(null);
    const found = validate(kind, values, patientId);
    const unplaced = Object.entries(found).filter(([f]) => !kind.fields.some((x) => x.name === f));
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setFormError(
        `Please correct the marked field(s) first${unplaced.length > 0 ? `: ${unplaced.map(([f, m]) => `${f}: ${m}`).join('; ')}` : '.'}`,
      );
      return;
    }
    setBusy(true);
    try {
      if (creating) {
        const body = bodyOf(
          values,
          kind.fields.map((f) => f.name),
        );
        const saved = await api.post<RecordEnvelope>(kind.collectionUrl(ownId, values), body);
        onSaved(saved);
        return;
      }
      const names = kind.fields.filter((f) => editable(f) && changed(f.name)).map((f) => f.name);
      if (names.length === 0) {
        setNotice('Nothing has changed.');
        return;
      }
      const saved = await api.patch<RecordEnvelope>(
        kind.itemUrl(ownId, base ?? {}),
        bodyOf(values, names),
        ifMatch(version ?? 0),
      );
      onSaved(saved);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409 && !creating) {
        try {
          const theirs = await api.get<RecordEnvelope>(kind.itemUrl(ownId, base ?? {}));
          setConflict({ theirs });
          setErrors({});
        } catch (again) {
          showError(again);
        }
      } else showError(e);
    } finally {
      setBusy(false);
    }
  };

  const remove = async () => {
    if (creating || base === null) return;
    if (!window.confirm(`Delete ${kind.describe(base)}? What hangs from it is deleted too.`)) return;
    setBusy(true);
    try {
      await api.delete(kind.itemUrl(ownId, base), ifMatch(version ?? 0));
      onSaved(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const theirs = await api.get<RecordEnvelope>(kind.itemUrl(ownId, base)).catch(() => null);
        if (theirs !== null) setConflict({ theirs });
      } else showError(e);
    } finally {
      setBusy(false);
    }
  };

  /** Keeps the fields you changed, takes theirs for the others, and moves the form onto their version. */
  const applyMine = () => {
    if (conflict === null) return;
    const theirs = conflict.theirs.record;
    const next: Record<string, string> = {};
    for (const f of kind.fields)
      next[f.name] = changed(f.name) ? (values[f.name] ?? '') : text(theirs[f.name]);
    setValues(next);
    setBase(theirs);
    setVersion(conflict.theirs.version);
    setConflict(null);
    setNotice(
      `Your changes are applied to version ${String(conflict.theirs.version)}. Check the fields and save again.`,
    );
  };

  const takeTheirs = () => {
    if (conflict === null) return;
    setValues(formValues(kind, conflict.theirs.record));
    setBase(conflict.theirs.record);
    setVersion(conflict.theirs.version);
    setConflict(null);
    setNotice(`The form now shows version ${String(conflict.theirs.version)}; your changes were set aside.`);
  };

  const submit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    void save();
  };

  const title = creating ? `New ${kind.label}` : `Correct ${kind.describe(base ?? {})}`;
  return (
    <form className="record-form" onSubmit={submit} noValidate aria-labelledby={`${formId}-title`}>
      <h3 id={`${formId}-title`}>{title}</h3>
      {conflict === null ? null : (
        <div className="alert alert-error conflict" role="alert">
          <p>
            <strong>Someone else changed this record</strong> since you opened it (you read version{' '}
            {String(version)}, it is now version {String(conflict.theirs.version)}). Nothing of yours was
            saved and nothing you typed is lost.
          </p>
          <div className="table-wrap">
            <table className="data conflict-table">
              <caption>Their version and yours, side by side</caption>
              <thead>
                <tr>
                  <th scope="col">field</th>
                  <th scope="col">as you opened it</th>
                  <th scope="col">theirs (now)</th>
                  <th scope="col">yours (in the form)</th>
                </tr>
              </thead>
              <tbody>
                {kind.fields.map((f) => {
                  const theirs = text(conflict.theirs.record[f.name]);
                  const mine = values[f.name] ?? '';
                  const differ = theirs !== mine;
                  return (
                    <tr key={f.name} className={differ ? 'differs' : undefined}>
                      <th scope="row">{f.label}</th>
                      <td>{text(base?.[f.name]) || '—'}</td>
                      <td>{theirs || '—'}</td>
                      <td>{mine || '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <div className="button-row">
            <button type="button" onClick={applyMine}>
              Apply my changes to their version
            </button>
            <button type="button" className="secondary" onClick={takeTheirs}>
              Use their version
            </button>
          </div>
        </div>
      )}
      <div className="form-grid">
        {kind.fields.map((f) => (
          <Field
            key={f.name}
            id={`${formId}-${f.name}`}
            spec={f}
            value={values[f.name] ?? ''}
            error={errors[f.name]}
            disabled={!editable(f) || busy}
            onChange={(v) => {
              setValues((old) => ({ ...old, [f.name]: v }));
            }}
          />
        ))}
      </div>
      {notice === null ? null : (
        <p className="alert alert-info" role="status">
          {notice}
        </p>
      )}
      {formError === null ? null : (
        <p className="alert alert-error" role="alert">
          {formError}
        </p>
      )}
      <div className="button-row">
        <button type="submit" disabled={busy || conflict !== null}>
          {creating ? `Save new ${kind.label}` : 'Save correction'}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        {creating || kind.name === 'patient' ? null : (
          <button type="button" className="secondary danger" onClick={() => void remove()} disabled={busy}>
            Delete {kind.label}
          </button>
        )}
      </div>
    </form>
  );
}

function Field({
  id,
  spec,
  value,
  error,
  disabled,
  onChange,
}: {
  readonly id: string;
  readonly spec: FieldSpec;
  readonly value: string;
  readonly error: string | undefined;
  readonly disabled: boolean;
  readonly onChange: (v: string) => void;
}) {
  const described = [
    spec.hint === undefined ? null : `${id}-hint`,
    error === undefined ? null : `${id}-error`,
  ]
    .filter((x) => x !== null)
    .join(' ');
  const common = {
    id,
    name: spec.name,
    disabled,
    'aria-invalid': error !== undefined,
    ...(described === '' ? {} : { 'aria-describedby': described }),
  };
  const options =
    spec.input === 'yes-no' ? ['Y', 'N'] : spec.input === 'select' ? [...(spec.options ?? [])] : null;
  return (
    <div className={`field${error === undefined ? '' : ' field-invalid'}`}>
      <label htmlFor={id}>
        {spec.label}
        {spec.required === true ? <span className="required"> (required)</span> : null}
      </label>
      {options === null ? (
        <input
          {...common}
          type={spec.input === 'date' ? 'date' : 'text'}
          inputMode={spec.input === 'number' ? 'decimal' : undefined}
          autoComplete="off"
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        />
      ) : (
        <select
          {...common}
          value={value}
          onChange={(e) => {
            onChange(e.target.value);
          }}
        >
          <option value="">—</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      )}
      {spec.hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {spec.hint}
        </p>
      )}
      {error === undefined ? null : (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
