/** Messages: an error (announced at once), a status line (announced politely), and a loading note. */
import type { ReactNode } from 'react';
import { errorText } from '../api';

export function ErrorAlert({ error, title }: { readonly error: unknown; readonly title?: string }) {
  return (
    <div className="alert alert-error" role="alert">
      {title === undefined ? null : <strong>{title}: </strong>}
      {errorText(error)}
    </div>
  );
}

export function StatusMessage({
  children,
  kind = 'info',
}: {
  readonly children: ReactNode;
  readonly kind?: 'info' | 'ok' | 'error';
}) {
  return (
    <div className={`alert alert-${kind}`} role="status" aria-live="polite">
      {children}
    </div>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}
