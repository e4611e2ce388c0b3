import { importers } from '@licenskoll/importers';
import { parseArgs } from './args.ts';
import { apiClient } from './client.ts';
import { importCommand } from './import-command.ts';

const HELP = `licenskoll: command line for a running Licenskoll

  licenskoll import <kind> <file|url|->   import a file in its own format
  licenskoll import ss12000-api <baseUrl> [--api-token T | --token-url U --client-id I --client-secret S] [--every 24h]

kinds: auto (recognise the format), ss12000 (JSON), ${Object.keys(importers).join(', ')}

options:
  --url URL        the server (LICENSKOLL_URL, default http://localhost:8080)
  --token T        an admin token (LICENSKOLL_TOKEN or LICENSKOLL_ADMIN_TOKEN)
  --as-of DATE     roster snapshot day (default today)
  --format F       Shibboleth audit format string, if not the v4/v5 default
  --unresolved R   roster rows naming unknown organisations or persons: keep (default) or reject
`;

async function main(): Promise<number> {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const [command, kind, where] = positional;
  if (!command || flags.help || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command !== 'import' || !kind || !where) {
    process.stderr.write(HELP);
    return 2;
  }
  const url = typeof flags.url === 'string' ? flags.url : process.env.LICENSKOLL_URL ?? 'http://localhost:8080';
  const token = typeof flags.token === 'string' ? flags.token : process.env.LICENSKOLL_TOKEN ?? process.env.LICENSKOLL_ADMIN_TOKEN;
  if (!token) {
    process.stderr.write('no token: pass --token or set LICENSKOLL_TOKEN\n');
    return 2;
  }
  return importCommand(apiClient(url, token), kind, where, flags);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`licenskoll: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
