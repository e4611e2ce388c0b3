import { loadConfig } from '@licenskoll/core';
import { ingestSettingsFromEnv } from '@licenskoll/ingest';
import { log } from './log.ts';
import { startService, type Service } from './boot/service.ts';
import { smtpSettingsFromEnv } from './mail/smtp-settings.ts';

/** How long a stop may take before the process gives up; unanswered requests were never promised anything. */
const STOP_TIMEOUT_MS = 30_000;

/** `npm start`: one process serves ingest, API and dashboard (the embedded engine binds one process). */
async function main() {
  let config;
  let ingest;
  let smtp;
  try {
    config = loadConfig();
    ingest = ingestSettingsFromEnv();
    smtp = smtpSettingsFromEnv();
  } catch (e) {
    log.error(`Configuration error: ${(e as Error).message}`);
    process.exit(2);
  }

  // Signals are taken before the start finishes: a SIGTERM during migrations or the spool
  // scan then waits for the start and stops cleanly instead of killing the engine mid-write.
  let service: Service | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: no new requests; storing what was accepted, then exiting`);
    const force = setTimeout(() => {
      log.error(`stop took longer than ${STOP_TIMEOUT_MS / 1000} s: exiting anyway`);
      process.exit(1);
    }, STOP_TIMEOUT_MS);
    force.unref();
    try {
      await started;
      await service?.stop();
    } catch (e) {
      log.error(`stop failed: ${(e as Error).message}`);
      process.exit(1);
    }
    log.info('stopped: everything accepted is stored or spooled');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  const started = startService(config, { ingest, smtp, metricsToken: process.env.LICENSKOLL_METRICS_TOKEN || undefined }).then((s) => {
    service = s;
  });
  await started;
}

main().catch((e) => {
  log.error(`Licenskoll could not start: ${(e as Error).message}`);
  process.exit(1);
});
