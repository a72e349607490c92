/**
 * The Lu-177 decay calculator: a vial's calibrated activity and calibration time give the activity at the
 * administration time, and a planned activity at a planned administration gives the activity to order
 * for the calibration time (`src/clinical/lu177.ts`, T½ 6.647 d). Each result opens to its formula.
 */
import { useId, useState } from 'react';
import { activityAt, activityToOrder, LU177_HALF_LIFE_DAYS } from '../../../../src/clinical/lu177';
import { fmt } from '../../format';
import { Explained, type Decision } from './explained';

type Result =
  | { readonly ok: true; readonly decision: Decision<number> }
  | { readonly ok: false; readonly message: string };

function compute(f: () => Decision<number>): Result {
  try {
    return { ok: true, decision: f() };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function positive(v: string): number | null {
  const n = Number(v.trim().replace(',', '.'));
  return v.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : null;
}

function Input({
  id,
  label,
  hint,
  value,
  onChange,
}: {
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly value: string;
  readonly onChange: (v: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={value}
        autoComplete="off"
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
        onChange={(e) => {
          onChange(e.target.value);
        }}
      />
      {hint === undefined ? null : (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

const TIME_HINT = 'Date-time with offset, e.g. 2024-03-06T09:30:00+01:00 (a bare date means 12:00 UTC)';

export function DecayCalculator({
  plannedDate,
  plannedGbq,
}: {
  readonly plannedDate: string;
  /** The activity the dose decision gives, to start the order calculation with. */
  readonly plannedGbq: number | null;
}) {
  const id = useId();
  const [calibrated, setCalibrated] = useState('7.4');
  const [calibratedAt, setCalibratedAt] = useState(`${plannedDate}T12:00:00Z`);
  const [administeredAt, setAdministeredAt] = useState(`${plannedDate}T12:00:00Z`);
  const [planned, setPlanned] = useState(plannedGbq === null ? '7.4' : String(plannedGbq));

  const a = positive(calibrated);
  const p = positive(planned);
  const atAdministration: Result =
    a === null
      ? { ok: false, message: 'enter the calibrated activity in GBq' }
      : compute(() => activityAt({ activityGbq: a, at: calibratedAt.trim() }, administeredAt.trim()));
  const toOrder: Result =
    p === null
      ? { ok: false, message: 'enter the planned activity in GBq' }
      : compute(() => activityToOrder(p, administeredAt.trim(), calibratedAt.trim()));

  const show = (r: Result, what: string, testId: string) =>
    r.ok ? (
      <span data-testid={testId}>
        <Explained decision={r.decision} label={what}>
          {`${fmt(r.decision.value, 3)} GBq`}
        </Explained>
      </span>
    ) : (
      <span className="field-error" data-testid={testId}>
        {r.message}
      </span>
    );

  return (
    <form
      className="decay-calculator"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
      }}
    >
      <h3 id={`${id}-title`}>Decay calculator (Lu-177, T½ {String(LU177_HALF_LIFE_DAYS)} d)</h3>
      <div className="form-grid">
        <Input
          id={`${id}-cal`}
          label="Calibrated activity (GBq)"
          value={calibrated}
          onChange={setCalibrated}
        />
        <Input
          id={`${id}-calat`}
          label="Calibration time"
          hint={TIME_HINT}
          value={calibratedAt}
          onChange={setCalibratedAt}
        />
        <Input
          id={`${id}-adm`}
          label="Administration time"
          hint={TIME_HINT}
          value={administeredAt}
          onChange={setAdministeredAt}
        />
        <Input
          id={`${id}-plan`}
          label="Planned activity at administration (GBq)"
          value={planned}
          onChange={setPlanned}
        />
      </div>
      <dl className="fields compact" aria-live="polite">
        <div>
          <dt>activity at administration</dt>
          <dd>{show(atAdministration, 'activity at administration', 'activity-at-administration')}</dd>
        </div>
        <div>
          <dt>activity to order (at calibration)</dt>
          <dd>{show(toOrder, 'activity to order', 'activity-to-order')}</dd>
        </div>
      </dl>
    </form>
  );
}
