/**
 * The patient's treatment timeline: courses as bars, cycles as ticks, scans with their response,
 * events and death on one time axis; then each course with its cycles (activity and cumulative
 * activity), whether the intended activity was achieved, the best response and the time to progression,
 * every derived value opening to its explanation.
 */
import { fmt, label } from '../../format';
import { Explained } from './explained';
import { text as cell } from './record-kinds';
import {
  dayNumber,
  type CourseSummaryView,
  type CycleMark,
  type PatientRecords,
  type SummaryView,
} from './patient-data';

interface EventMark {
  readonly date: string;
  readonly text: string;
}

function eventMarks(s: SummaryView, records: PatientRecords | null): EventMark[] {
  if (records === null) return [];
  return records.events.map((e) => ({
    date: cell(e.record.date),
    text: `${label(cell(e.record.event))}${cell(e.record.term) === '' ? '' : `: ${cell(e.record.term)}`}${
      typeof e.record.grade === 'number' ? ` (grade ${String(e.record.grade)})` : ''
    }`,
  }));
}

const W = 1240;
const LANE = 26;
const M = { left: 70, right: 20, top: 8, bottom: 24 };

export function TimelineFigure({
  summary,
  cycles,
  records,
}: {
  readonly summary: SummaryView;
  readonly cycles: readonly CycleMark[];
  readonly records: PatientRecords | null;
}) {
  const events = eventMarks(summary, records);
  const scans = summary.courses.flatMap((c) =>
    (c.endpoints?.scans ?? []).map((sc) => ({ ...sc, courseId: c.course.courseId })),
  );
  const death = typeof summary.patient.death_date === 'string' ? summary.patient.death_date : null;
  const lastContact =
    typeof summary.patient.last_contact_date === 'string' ? summary.patient.last_contact_date : null;
  const dates = [
    ...cycles.map((c) => c.date),
    ...scans.map((sc) => sc.date),
    ...events.map((e) => e.date),
    ...summary.courses
      .map((c) => c.endpoints?.baselineScanDate ?? null)
      .filter((d): d is string => d !== null),
    ...(death === null ? [] : [death]),
    ...(lastContact === null ? [] : [lastContact]),
  ];
  if (dates.length === 0) return <p className="muted">Nothing to draw yet.</p>;
  const days = dates.map(dayNumber);
  const t0 = Math.min(...days) - 30;
  const t1 = Math.max(...days) + 30;
  const lanes = ['courses', 'scans', 'events'] as const;
  const H = M.top + lanes.length * LANE + M.bottom;
  const x = (d: string) => M.left + ((dayNumber(d) - t0) / (t1 - t0)) * (W - M.left - M.right);
  const laneY = (i: number) => M.top + i * LANE + LANE / 2;
  const y0 = new Date(t0 * 86_400_000).getUTCFullYear();
  const y1 = new Date(t1 * 86_400_000).getUTCFullYear();
  const step = Math.max(1, Math.ceil((y1 - y0 + 1) / 12));
  const years: number[] = [];
  for (let yr = y0 + 1; yr <= y1; yr += step) years.push(yr);
  const caption = `Timeline: ${String(summary.courses.length)} course(s), ${String(cycles.length)} cycle(s), ${String(scans.length)} scan(s), ${String(events.length)} event(s)${death === null ? '' : `, died ${death}`}`;
  return (
    <figure className="timeline" id="timeline">
      <svg viewBox={`0 0 ${String(W)} ${String(H)}`} role="img" aria-label={caption} className="timeline-svg">
        <title>{caption}</title>
        {lanes.map((l, i) => (
          <text key={l} className="lane-label" x={4} y={laneY(i) + 4}>
            {l}
          </text>
        ))}
        {years.map((yr) => {
          const px = x(`${String(yr)}-01-01`);
          return (
            <g key={yr}>
              <line className="grid" x1={px} x2={px} y1={M.top} y2={H - M.bottom} />
              <text className="tick" x={px} y={H - 8} textAnchor="middle">
                {yr}
              </text>
            </g>
          );
        })}
        {summary.courses.map((c) => {
          const e = c.endpoints;
          if (e === null) return null;
          const end = e.lastCycleDate ?? e.start;
          return (
            <g key={c.course.courseId}>
              <rect
                className={`course-bar course-${c.course.kind}`}
                x={x(e.start) - 3}
                width={Math.max(6, x(end) - x(e.start) + 6)}
                y={laneY(0) - 8}
                height={16}
              >
                <title>{`course ${c.course.courseId} (${c.course.kind}) ${e.start} – ${end}`}</title>
              </rect>
              <text className="course-label" x={x(e.start)} y={laneY(0) - 10}>
                {c.course.courseId}
              </text>
            </g>
          );
        })}
        {cycles.map((c, i) => (
          <line
            key={i}
            className="cycle-tick"
            x1={x(c.date)}
            x2={x(c.date)}
            y1={laneY(0) - 8}
            y2={laneY(0) + 8}
          >
            <title>{`cycle ${c.cycle === null ? '' : String(c.cycle)} of ${c.courseId} on ${c.date}${c.activityGbq === null ? '' : `: ${String(c.activityGbq)} GBq`}`}</title>
          </line>
        ))}
        {scans.map((sc, i) => (
          <g key={`${sc.date}-${String(i)}`} className={`scan scan-${sc.response.toLowerCase()}`}>
            <circle cx={x(sc.date)} cy={laneY(1)} r={5}>
              <title>{`scan ${sc.date}: ${sc.response}`}</title>
            </circle>
          </g>
        ))}
        {events.map((e, i) => (
          <path
            key={i}
            className="event-mark"
            d={`M${fmt(x(e.date), 1)},${fmt(laneY(2) - 6, 1)} l6,11 h-12 z`}
          >
            <title>{`${e.date}: ${e.text}`}</title>
          </path>
        ))}
        {death === null ? null : (
          <g className="death-mark">
            <line x1={x(death)} x2={x(death)} y1={M.top} y2={H - M.bottom} />
            <text x={x(death) - 4} y={laneY(2) + 4} textAnchor="end">
              {`died ${death}`}
            </text>
          </g>
        )}
      </svg>
      <figcaption className="legend">
        <span className="key key-course">course</span> <span className="key key-cycle">cycle</span>{' '}
        <span className="key key-scan">scan (PR / MR / SD / PD)</span>{' '}
        <span className="key key-event">event</span>
      </figcaption>
    </figure>
  );
}

function Ttp({ c }: { readonly c: CourseSummaryView }) {
  const t = c.endpoints?.ttp;
  if (t === null || t === undefined) return <>—</>;
  const p = c.endpoints?.progression;
  const text = `${fmt(t.months, 1)} months${t.event ? '' : ' (censored)'}`;
  if (p?.explanation === undefined) return <>{text}</>;
  return (
    <Explained decision={p.explanation} label={`time to progression of course ${c.course.courseId}`}>
      {text}
    </Explained>
  );
}

export function CourseTable({
  summary,
  cycles,
}: {
  readonly summary: SummaryView;
  readonly cycles: readonly CycleMark[];
}) {
  if (summary.courses.length === 0) return <p>No course yet.</p>;
  return (
    <div className="course-list">
      {summary.courses.map((c) => {
        const e = c.endpoints;
        const own = cycles.filter((m) => m.courseId === c.course.courseId && m.activityGbq !== null);
        let cumulative = 0;
        return (
          <section
            key={c.course.courseId}
            className="course-card"
            aria-labelledby={`course-${c.course.courseId}`}
          >
            <h3 id={`course-${c.course.courseId}`}>
              Course {c.course.courseId} <span className="muted">({c.course.kind})</span>{' '}
              {c.running ? <span className="badge badge-due-for-cycle">running</span> : null}
            </h3>
            <dl className="fields compact">
              <div>
                <dt>start</dt>
                <dd>{e?.start ?? '—'}</dd>
              </div>
              <div>
                <dt>cycles</dt>
                <dd>
                  {String(c.cyclesGiven)} of {String(c.course.intendedCycles)}
                </dd>
              </div>
              <div>
                <dt>cumulative activity</dt>
                <dd>
                  <Explained
                    decision={e?.achievedExplanation}
                    label={`cumulative activity of course ${c.course.courseId}`}
                  >
                    {`${fmt(e?.cumulativeActivityGbq ?? 0, 2)} of ${fmt(c.course.intendedActivityGbq, 1)} GBq${
                      e?.achieved === undefined ? '' : e.achieved ? ' (achieved)' : ' (not achieved)'
                    }`}
                  </Explained>
                </dd>
              </div>
              <div>
                <dt>baseline scan</dt>
                <dd>
                  <Explained
                    decision={e?.baselineExplanation}
                    label={`baseline scan of course ${c.course.courseId}`}
                  >
                    {e?.baselineScanDate ?? 'none'}
                  </Explained>
                </dd>
              </div>
              <div>
                <dt>best response</dt>
                <dd>
                  <Explained
                    decision={e?.bestResponseExplanation}
                    label={`best response of course ${c.course.courseId}`}
                  >
                    {e?.bestResponse ?? '—'}
                  </Explained>
                </dd>
              </div>
              <div>
                <dt>time to progression</dt>
                <dd>
                  <Ttp c={c} />
                </dd>
              </div>
              <div>
                <dt>state</dt>
                <dd>{c.running ? 'running' : label(c.course.stopReason ?? 'ended')}</dd>
              </div>
            </dl>
            {own.length === 0 ? null : (
              <div className="table-wrap">
                <table className="data cycles-table">
                  <caption>Cycles of course {c.course.courseId}</caption>
                  <thead>
                    <tr>
                      <th scope="col">cycle</th>
                      <th scope="col">administered</th>
                      <th scope="col">activity (GBq)</th>
                      <th scope="col">cumulative (GBq)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {own.map((m) => {
                      cumulative += m.activityGbq ?? 0;
                      return (
                        <tr key={String(m.cycle)}>
                          <th scope="row">{String(m.cycle)}</th>
                          <td>{m.date}</td>
                          <td className="num">{fmt(m.activityGbq, 2)}</td>
                          <td className="num">{fmt(cumulative, 2)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
