/**
 * The security headers of every answer, computed once by helmet from the app's settings: they never
 * depend on the request, and building helmet's middleware anew for each request (as the Fastify plugin
 * does) cost a noticeable share of a cached answer's time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for these options, as name → value. */
export function securityHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
      return response;
    },
    removeHeader(name: string) {
      Reflect.deleteProperty(headers, name);
    },
  };
  const request: unknown = {};
  helmet(options)(request as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error instanceof Error) throw error;
  });
  return Object.freeze(headers);
}
