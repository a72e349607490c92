/**
 * Reads a password from standard input: on a terminal without echo (asked twice), otherwise the first
 * line of whatever is piped in (`printf 'secret\n' | prrt user add alice --role clinician`).
 */
import type { Readable, Writable } from 'node:stream';
import { PrrtError } from '../errors.js';

interface TtyInput extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export async function readPassword(
  input: TtyInput = process.stdin,
  prompt: Writable = process.stderr,
): Promise<string> {
  if (input.isTTY === true && typeof input.setRawMode === 'function') {
    const first = await readHidden(input, prompt, 'Password: ');
    const again = await readHidden(input, prompt, 'Password again: ');
    if (first !== again) throw new PrrtError('USAGE', 'the two passwords differ');
    return first;
  }
  return readFirstLine(input);
}

/** The first line of a stream (without its line ending), or all of it when there is no newline. */
export async function readFirstLine(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const end = text.indexOf('\n');
    if (end >= 0) {
      input.destroy();
      return text.slice(0, end).replace(/\r$/, '');
    }
  }
  return text.replace(/\r$/, '');
}

function readHidden(input: TtyInput, prompt: Writable, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    prompt.write(question);
    input.setRawMode?.(true);
    input.resume();
    let value = '';
    const finish = (error?: Error): void => {
      input.setRawMode?.(false);
      input.pause();
      input.off('data', onData);
      prompt.write('\n');
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') {
          finish();
          return;
        }
        if (ch === '\u0003') {
          finish(new PrrtError('USAGE', 'cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    input.on('data', onData);
  });
}
