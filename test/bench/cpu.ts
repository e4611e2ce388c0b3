import { readdirSync, readFileSync } from 'node:fs';

/** CPU time of a process's threads in groups, in ms of user and system time (from /proc). */
export interface CpuSample {
  main: [number, number];
  /** Node's own threads besides the main one: V8's collector and compiler, libuv's pool (fsync). */
  node: [number, number];
  /** Everything else: the embedded engine's threads (ThreadPool, MergeMutate, ...). */
  engine: [number, number];
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** The threads of `pid`, grouped; zeros where /proc is missing. */
export function cpuOf(pid: number | undefined): CpuSample {
  const s: CpuSample = { main: [0, 0], node: [0, 0], engine: [0, 0] };
  if (!pid) return s;
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return s;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const g = tid === String(pid) ? s.main : comm === 'node' || comm.startsWith('libuv') ? s.node : s.engine;
      g[0] += Number(f[11]) * TICK_MS;
      g[1] += Number(f[12]) * TICK_MS;
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return s;
}

/** Microseconds of user and system time per event between two samples, per group. */
export interface CpuPerEvent extends CpuSample {
  /** The load generator (this process) over the same run. */
  client: [number, number];
}

export function perEvent(before: CpuSample, after: CpuSample, client: NodeJS.CpuUsage, events: number): CpuPerEvent {
  const us = (a: [number, number], b: [number, number]): [number, number] => [((b[0] - a[0]) * 1000) / events, ((b[1] - a[1]) * 1000) / events];
  return {
    main: us(before.main, after.main), node: us(before.node, after.node), engine: us(before.engine, after.engine),
    client: [client.user / events, client.system / events],
  };
}
