/**
 * Zod without its code-generating fast path. The page's Content-Security-Policy forbids `eval`, and
 * zod's probe for it (`new Function('')`, caught) is still reported as a CSP violation. Imported first
 * by `main.tsx`, before any schema is built.
 */
import { z } from 'zod';

z.config({ jitless: true });
