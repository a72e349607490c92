/**
 * RFC 4180 records with the physical line each one starts on, as the exchange format's error locations
 * need: a byte-order mark is dropped, LF, CRLF (and a lone CR) end lines, a quoted field may span lines,
 * and blank lines at the end of the file are ignored. A quote inside an unquoted field is kept as text.
 *
 * `CsvRecordParser` reads the text in pieces of any size (a file as it streams in) and hands over each
 * record as soon as it is complete, so a file is never held whole; `readCsvRecords` reads a whole text.
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

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/** Where the parser is between two pieces of text. */
const At = {
  /** Nothing of the next record read yet. */
  recordStart: 0,
  /** Just after a comma: a field starts (at the end of the text it is an empty field). */
  fieldStart: 1,
  unquoted: 2,
  quoted: 3,
  /** A quote inside a quoted field: a doubled quote or the closing one, as the next character tells. */
  quotedQuote: 4,
  /** A CR inside a quoted field: an LF right after it belongs to the same line end. */
  quotedCr: 5,
  /** After a closing quote, before the next comma or line end. */
  afterQuote: 6,
  /** A CR that ended a record: an LF right after it belongs to the same line end. */
  recordCr: 7,
} as const;
type At = (typeof At)[keyof typeof At];

export class CsvRecordParser {
  private at: At = At.recordStart;
  private line = 1;
  private recordLine = 1;
  private fields: string[] = [];
  private field = '';
  private after = '';
  private quotedAny = false;
  private openedLine = 0;
  private problem: string | null = null;
  private first = true;
  /** Blank records not yet handed over: they are dropped when nothing but blank lines follows them. */
  private blanks: CsvRecord[] = [];

  constructor(private readonly emit: (record: CsvRecord) => void) {}

  /** Reads the next piece of the text. */
  push(piece: string): void {
    let text = piece;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const n = text.length;
    let i = 0;
    while (i < n) {
      switch (this.at) {
        case At.recordStart:
          this.recordLine = this.line;
          this.at = At.fieldStart;
          break;
        case At.fieldStart:
          if (text.charCodeAt(i) === QUOTE) {
            this.quotedAny = true;
            this.openedLine = this.line;
            this.field = '';
            this.at = At.quoted;
            i++;
          } else {
            this.field = '';
            this.at = At.unquoted;
          }
          break;
        case At.unquoted: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = text.charCodeAt(j);
            if (c === COMMA || c === CR || c === LF) break;
            j++;
          }
          this.field = this.field === '' ? text.slice(i, j) : this.field + text.slice(i, j);
          i = j;
          if (j < n) i = this.endField(c, i);
          break;
        }
        case At.quoted: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = text.charCodeAt(j);
            if (c === QUOTE || c === CR || c === LF) break;
            j++;
          }
          if (j > i) this.field += text.slice(i, j);
          i = j;
          if (j < n) {
            i++;
            if (c === QUOTE) this.at = At.quotedQuote;
            else {
              this.line++;
              this.field += '\n';
              if (c === CR) this.at = At.quotedCr;
            }
          }
          break;
        }
        case At.quotedQuote:
          if (text.charCodeAt(i) === QUOTE) {
            this.field += '"';
            this.at = At.quoted;
            i++;
          } else {
            this.after = '';
            this.at = At.afterQuote;
          }
          break;
        case At.quotedCr:
          if (text.charCodeAt(i) === LF) i++;
          this.at = At.quoted;
          break;
        case At.afterQuote: {
          let j = i;
          let c = 0;
          while (j < n) {
            c = text.charCodeAt(j);
            if (c === COMMA || c === CR || c === LF) break;
            j++;
          }
          if (j > i) this.after += text.slice(i, j);
          i = j;
          if (j < n) {
            this.closeAfterQuote();
            i = this.endField(c, i);
          }
          break;
        }
        case At.recordCr:
          if (text.charCodeAt(i) === LF) i++;
          this.at = At.recordStart;
          break;
      }
    }
  }

  /** The text has ended: the record in progress, if any, is complete; trailing blank lines are dropped. */
  end(): void {
    switch (this.at) {
      case At.recordStart:
      case At.recordCr:
        break;
      case At.fieldStart:
        this.field = '';
        this.finishRecord();
        break;
      case At.unquoted:
        this.finishRecord();
        break;
      case At.quoted:
      case At.quotedCr:
        this.problem = `a quoted field opened on line ${this.openedLine} is never closed: the rest of the file is inside it`;
        this.finishRecord();
        break;
      case At.quotedQuote:
        this.finishRecord();
        break;
      case At.afterQuote:
        this.closeAfterQuote();
        this.finishRecord();
        break;
    }
    this.at = At.recordStart;
    this.blanks = [];
  }

  private closeAfterQuote(): void {
    if (this.after !== '') {
      this.problem ??= `unexpected text ${JSON.stringify(this.after)} after a closing quote: quote the whole field and double the quotes inside it`;
      this.field += this.after;
      this.after = '';
    }
  }

  /** At a comma or a line end (at `i`, character `c`): ends the field, and the record at a line end. */
  private endField(c: number, i: number): number {
    if (c === COMMA) {
      this.fields.push(this.field);
      this.field = '';
      this.at = At.fieldStart;
      return i + 1;
    }
    this.line++;
    this.finishRecord();
    this.at = c === CR ? At.recordCr : At.recordStart;
    return i + 1;
  }

  private finishRecord(): void {
    this.fields.push(this.field);
    const fields = this.fields;
    const blank = !this.quotedAny && fields.length === 1 && fields[0]!.trim() === '';
    const record: CsvRecord = { line: this.recordLine, fields, blank, problem: this.problem };
    this.fields = [];
    this.field = '';
    this.quotedAny = false;
    this.problem = null;
    if (blank) {
      this.blanks.push(record);
      return;
    }
    if (this.blanks.length > 0) {
      for (const b of this.blanks) this.emit(b);
      this.blanks = [];
    }
    this.emit(record);
  }
}

export function readCsvRecords(input: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const parser = new CsvRecordParser((r) => records.push(r));
  parser.push(input);
  parser.end();
  return records;
}
