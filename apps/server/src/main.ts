import { loadConfig } from '@licenskoll/core';
import { startService } from './service.ts';

/** `npm start`: one process serves ingest, API and dashboard (the embedded engine binds one process). */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    console.error(`Configuration error: ${(e as Error).message}`);
    process.exit(2);
  }
  const service = await startService(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: no new requests; storing what was accepted, then exiting`);
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    await service.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((e) => {
  console.error(`Licenskoll could not start: ${(e as Error).message}`);
  process.exit(1);
});
