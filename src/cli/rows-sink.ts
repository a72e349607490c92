/**
 * The row sink of a one-pass import (`prrt import`): each valid row read from the exchange folder is
 * encoded for the writer as it comes (`RowsEncoder`), and at the end of each piece of a file the rows of
 * that piece are handed over as one `RowsText`.
 */
import type { ExchangePart, RowSink } from '../interop/exchange-folder/index.js';
import { RowsEncoder, type RowsText } from '../store/stream-import.js';

export function encodingSink(deliver: (part: ExchangePart, rows: RowsText) => void | Promise<void>): RowSink {
  let current: { readonly part: ExchangePart; readonly encoder: RowsEncoder } | undefined;
  return {
    add(part, model) {
      if (current?.part !== part) current = { part, encoder: new RowsEncoder(part) };
      current.encoder.add(model);
    },
    flush(part) {
      if (current?.part !== part || current.encoder.size === 0) return;
      return deliver(part, current.encoder.take());
    },
  };
}
