/**
 * RFC 4180 records with the physical line each one starts on, as the exchange format's error locations
 * need: a byte-order mark is dropped, LF, CRLF (and a lone CR) end lines, a quoted field may span lines,
 * and blank lines at the end of the file are ignored. A quote inside an unquoted field is kept as text.
 */

export interface CsvRecord {
  /** The physical line (1-based) on which the record starts. */
  readonly line: number;
  readonly fields: readonly string[];
  /** True for a line with nothing on it but spaces or tabs. */
  readonly blank: boolean;
  /** What is wrong with the record's quoting, if anything; its fields are then not to be trusted. */
  readonly problem: string | null;
}

export function readCsvRecords(input: string): CsvRecord[] {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;

  /** Consumes a line ending at `i` if there is one; true when it did. */
  const lineEnd = (): boolean => {
    const c = text[i];
    if (c === '\r') {
      i += text[i + 1] === '\n' ? 2 : 1;
      line++;
      return true;
    }
    if (c === '\n') {
      i++;
      line++;
      return true;
    }
    return false;
  };

  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let quotedAny = false;
    let problem: string | null = null;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        quotedAny = true;
        const opened = line;
        i++;
        let closed = false;
        while (i < n) {
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\r' || c === '\n') {
            lineEnd();
            field += '\n';
            continue;
          }
          field += c;
          i++;
        }
        if (!closed) {
          problem = `a quoted field opened on line ${opened} is never closed: the rest of the file is inside it`;
        }
        // Text between a closing quote and the next comma or line end is kept, with a problem reported.
        let after = '';
        while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') after += text.charAt(i++);
        if (after !== '') {
          problem ??= `unexpected text ${JSON.stringify(after)} after a closing quote: quote the whole field and double the quotes inside it`;
          field += after;
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') field += text.charAt(i++);
      }
      fields.push(field);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      lineEnd();
      break;
    }
    const blank = !quotedAny && fields.length === 1 && fields[0]!.trim() === '';
    records.push({ line: start, fields, blank, problem });
  }

  while (records.length > 0 && records[records.length - 1]!.blank) records.pop();
  return records;
}
