import { cpus, loadavg, totalmem } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './bench-config.ts';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  chdb: string;
  clickhouseClient: string;
  /** 1-minute load average when the run started and ended: other processes share the cores. */
  load: number[];
}

const version = (pkg: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    chdb: version('chdb'),
    clickhouseClient: version('@clickhouse/client'),
    load: [Number(loadavg()[0].toFixed(1))],
  };
}
