import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface RunningServer {
  url: string;
  adminToken: string;
  ingestToken: string;
  dataDir: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Kills without cleanup (for crash tests); the data directory stays. */
  kill(): Promise<void>;
}

export interface StartOptions {
  demo?: boolean;
  env?: Record<string, string>;
  /** Reuse a data directory (restart after a crash). */
  dataDir?: string;
  keepData?: boolean;
  /** Another checkout of the repository to run (test/tenants/upgrade.test.ts: a store made by earlier code). */
  root?: string;
}

/**
 * Starts the real service as its own process (`npm start`'s entry point) on a free port,
 * with its own data directory: the embedded engine binds one directory per process.
 */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'licenskoll-test-'));
  const adminToken = 'test-admin-token-0123456789';
  const ingestToken = 'test-ingest-token-0123456789';
  const root = opts.root ?? ROOT;
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'apps/server/src/main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: '0',
      LICENSKOLL_DATA_DIR: dataDir,
      LICENSKOLL_ADMIN_TOKEN: adminToken,
      LICENSKOLL_INGEST_TOKEN: ingestToken,
      LICENSKOLL_PSEUDONYM_KEY: 'test-pseudonym-key-0123456789abcdef',
      LICENSKOLL_DEMO: opts.demo ? 'on' : 'off',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolveUrl, reject) => {
    // Seeding the demo comes before listening, and takes minutes on a machine others share.
    const limit = opts.demo ? 300 : 120;
    const timer = setTimeout(() => reject(new Error(`server did not start within ${limit} s:\n${out}`)), limit * 1000);
    const check = () => {
      const m = /listens on (http:\/\/localhost:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    url, adminToken, ingestToken, dataDir, child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      if (!opts.keepData && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** A small fetch client for the API. */
export function api(base: string, token: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    del: (path: string) => call('DELETE', path),
  };
}
