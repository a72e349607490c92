/**
 * The frame of every page: sets the document title and gives the page one `<h1>`, which receives the
 * focus after each navigation (so a screen reader announces the new page and Tab starts from there).
 */
import { useEffect, type ReactNode } from 'react';

export function Page({
  title,
  actions,
  children,
}: {
  readonly title: string;
  /** Controls shown beside the heading (e.g. export buttons). */
  readonly actions?: ReactNode;
  readonly children: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · prrt`;
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1} id="page-title">
          {title}
        </h1>
        {actions === undefined ? null : <div className="page-actions">{actions}</div>}
      </div>
      {children}
    </>
  );
}
