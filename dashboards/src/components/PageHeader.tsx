/** The page title, what the page answers, and the period it answers it for. */
import type { ReactNode } from 'react';

export function PageHeader({ title, lead, aside }: { title: string; lead: ReactNode; aside?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 id="page-title" tabIndex={-1}>{title}</h1>
        <p className="lead">{lead}</p>
      </div>
      {aside && <div className="page-aside">{aside}</div>}
    </header>
  );
}
