import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * A file of the shared reference material (`../shared` beside the repository, as CI lays it
 * out). Tests read the published SS12000 examples from there rather than keeping copies.
 */
export function sharedFile(...parts: string[]): string {
  const candidates = [resolve(ROOT, '../shared', ...parts), resolve('/work/shared', ...parts)];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`shared/${parts.join('/')} not found beside the repository`);
  return found;
}
