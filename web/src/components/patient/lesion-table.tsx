/**
 * The scans of each course: the sum of the target lesions' products of diameters (SPD), the change from
 * the baseline and from the nadir, and the response with its explanation; for clinicians, each scan
 * opens to its lesion measurements.
 */
import { fmt, label } from '../../format';
import { text } from './record-kinds';
import { Explained } from './explained';
import type { PatientRecords, SummaryView } from './patient-data';

const pct = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;

function Measurements({ date, records }: { readonly date: string; readonly records: PatientRecords }) {
  const rows = records.lesions.filter((l) => l.record.scan_date === date);
  if (rows.length === 0) return null;
  return (
    <details className="lesions-of-scan">
      <summary>{rows.length} lesion measurement(s)</summary>
      <table className="data">
        <thead>
          <tr>
            <th scope="col">lesion</th>
            <th scope="col">organ</th>
            <th scope="col">role</th>
            <th scope="col">longest × perpendicular (mm)</th>
            <th scope="col">status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((l) => (
            <tr key={text(l.record.lesion_id)}>
              <th scope="row">{text(l.record.lesion_id)}</th>
              <td>{text(l.record.organ) || '—'}</td>
              <td>{label(text(l.record.role))}</td>
              <td className="num">
                {text(l.record.longest_mm) || '—'} × {text(l.record.perpendicular_mm) || '—'}
              </td>
              <td>{label(text(l.record.status)) || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function LesionTable({
  summary,
  records,
}: {
  readonly summary: SummaryView;
  readonly records: PatientRecords | null;
}) {
  const courses = summary.courses.filter((c) => c.endpoints !== null);
  if (courses.length === 0) return <p>No scans after a course yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data" id="lesion-table">
        <caption>Scans: SPD of the target lesions and the response</caption>
        <thead>
          <tr>
            <th scope="col">course</th>
            <th scope="col">scan</th>
            <th scope="col">SPD (mm²)</th>
            <th scope="col">from baseline</th>
            <th scope="col">from nadir</th>
            <th scope="col">response</th>
            {records === null ? null : <th scope="col">lesions</th>}
          </tr>
        </thead>
        <tbody>
          {courses.flatMap((c) => {
            const e = c.endpoints!;
            const base = e.baselineScanDate ?? null;
            const first = e.scans[0];
            const rows = [
              <tr key={`${c.course.courseId}-baseline`} className="baseline-row">
                <th scope="row">{c.course.courseId}</th>
                <td>
                  <Explained
                    decision={e.baselineExplanation}
                    label={`baseline of course ${c.course.courseId}`}
                  >
                    {base === null ? 'no baseline' : `${base} (baseline)`}
                  </Explained>
                </td>
                <td className="num">{fmt(first?.baselineSum, 0)}</td>
                <td>—</td>
                <td>—</td>
                <td>—</td>
                {records === null ? null : (
                  <td>{base === null ? null : <Measurements date={base} records={records} />}</td>
                )}
              </tr>,
            ];
            for (const sc of e.scans) {
              rows.push(
                <tr key={`${c.course.courseId}-${sc.date}`} data-scan={sc.date}>
                  <th scope="row">{c.course.courseId}</th>
                  <td>{sc.date}</td>
                  <td className="num">{fmt(sc.sum, 0)}</td>
                  <td className="num">{pct(sc.changeFromBaseline)}</td>
                  <td className="num">{pct(sc.changeFromNadir)}</td>
                  <td>
                    <Explained decision={sc.explanation} label={`response on ${sc.date}`}>
                      <span className={`response response-${sc.response.toLowerCase()}`}>{sc.response}</span>
                    </Explained>
                  </td>
                  {records === null ? null : (
                    <td>
                      <Measurements date={sc.date} records={records} />
                    </td>
                  )}
                </tr>,
              );
            }
            return rows;
          })}
        </tbody>
      </table>
    </div>
  );
}
