/**
 * Text folded for searching, the same on every database: decomposed, accents removed, lower case.
 * `Müller` and `MULLER` both fold to `muller`.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
