import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@licenskoll/core';

/**
 * The installation's HMAC secret: from the environment, else generated once into the data
 * directory (mode 0600). Losing it makes old pseudonyms unmatchable: back it up with the data.
 */
export function pseudonymKey(config: Config): string {
  if (config.pseudonymKey) return config.pseudonymKey;
  const file = join(config.dataDir, 'pseudonym.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}
