/** The patient flags of the list and summary as labelled badges (text, not colour alone). */
import type { PatientFlags } from '../api-types';

export const FLAG_LABELS = {
  due_for_cycle: 'Due for a cycle',
  withheld: 'Cycle withheld',
  eligible_for_salvage: 'Eligible for salvage',
} as const satisfies Record<keyof PatientFlags, string>;

export function FlagBadges({ flags }: { readonly flags: PatientFlags }) {
  const on = (Object.keys(FLAG_LABELS) as (keyof PatientFlags)[]).filter((k) => flags[k]);
  if (on.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="badges">
      {on.map((k) => (
        <li key={k} className={`badge badge-${k.replace(/_/g, '-')}`}>
          {FLAG_LABELS[k]}
        </li>
      ))}
    </ul>
  );
}
