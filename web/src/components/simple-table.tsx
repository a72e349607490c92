/**
 * A read-only table with a caption, column headers and the first cell of each row as its row header;
 * numbers are right-aligned. For the report's small summary tables.
 */
import type { ReactNode } from 'react';

export type Cell = string | number | ReactNode;

export function SimpleTable({
  caption,
  head,
  rows,
  id,
}: {
  readonly caption: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  readonly id?: string;
}) {
  return (
    <div className="table-wrap">
      <table className="simple" id={id}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((cell, c) =>
                c === 0 ? (
                  <th key={c} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={c} className={typeof cell === 'number' ? 'num' : undefined}>
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
