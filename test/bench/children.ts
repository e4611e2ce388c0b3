import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ROOT } from './bench-config.ts';

/**
 * Runs a benchmark stage as its own process (the embedded engine binds one data directory per
 * process, and a stage's memory must not count against the next) and returns the JSON it
 * prints on its last line.
 */
export function runChild<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`${script} exited with ${code}:\n${err || out}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}

/** Peak resident memory (VmHWM) of a running process, in bytes; 0 where /proc is missing. */
export function peakRss(pid: number | undefined): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
