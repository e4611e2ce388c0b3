import type { Resolution } from './resolution-state.ts';

/**
 * A shared CTE: its name, its SQL, and the SQL that reads a resolution cache build instead,
 * where there is one. A block without live SQL exists only beside a build.
 */
export interface Block {
  name: string;
  live?: string;
  cached?: (res: Resolution) => string;
}
