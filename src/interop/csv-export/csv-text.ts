/**
 * CSV text as the exchange format writes it: RFC 4180 quoting (a field holding a comma, a quote or a line
 * break is quoted and its quotes doubled), one header row, LF line ends, a line end after every row.
 */

/** One field: quoted only when it has to be. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole file: the header, then one line per row, each row as many fields as the header. */
export function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [header, ...rows].map((fields) => fields.map(csvField).join(',') + '\n');
  return lines.join('');
}

/** The physical line (1-based, header on line 1) on which each row of `csvText(header, rows)` starts. */
export function rowLines(rows: readonly (readonly string[])[]): number[] {
  const lines: number[] = [];
  let line = 2;
  for (const row of rows) {
    lines.push(line);
    line += 1 + row.reduce((n, field) => n + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  }
  return lines;
}
