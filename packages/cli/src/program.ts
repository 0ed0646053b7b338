import { CHANNELS, type Channel, type UserRef } from '@memnex/core/wire';
import { envSchema } from '@memnex/runtime';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  createKey,
  createTenant,
  exportUser,
  forget,
  listKeys,
  migrate,
  revokeKey,
  showTenant,
  updateTenant,
  verifyAudit,
} from './commands/admin.js';
import { applyRetention, compact, vacuum } from './commands/lifecycle.js';
import { reembed, type ReembedCommandOptions } from './commands/reembed.js';
import type { ServeRestOptions } from './commands/serve-rest.js';
import type { CliIo } from './io.js';
import { cliVersion } from './version.js';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/u.test(value) || port > 65_535) {
    throw new InvalidArgumentError('must be a port number from 0 to 65535 (0 picks a free one)');
  }
  return port;
}

function parseList(value: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new InvalidArgumentError('must list at least one scope');
  return items;
}

function parseRatio(value: string): number {
  const ratio = Number(value);
  if (value.trim() === '' || !Number.isFinite(ratio) || ratio < 0.5 || ratio > 1) {
    throw new InvalidArgumentError('must be a number from 0.5 to 1');
  }
  return ratio;
}

function parseWhole(value: string, minimum: number, maximum: number): number {
  const number = Number(value);
  if (!/^\d+$/u.test(value.trim()) || number < minimum || number > maximum) {
    throw new InvalidArgumentError(`must be a whole number from ${minimum} to ${maximum}`);
  }
  return number;
}

/** `--workers`: read as `MEMNEX_REST_WORKERS` is, except that an empty value is no default. */
function parseWorkers(value: string): number | 'auto' {
  const parsed = envSchema.shape.MEMNEX_REST_WORKERS.safeParse(value);
  if (parsed.success && value.trim() !== '') return parsed.data;
  throw new InvalidArgumentError(
    parsed.error?.issues[0]?.message ?? 'must be auto or a whole number of workers',
  );
}

/** `--settings`: a JSON object of settings sections; the engine validates what is in them. */
function parseSettings(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(
      'must be a JSON object, e.g. \'{"retention":{"intent":604800}}\'',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('must be a JSON object of settings sections');
  }
  return parsed as Record<string, unknown>;
}

function isChannel(value: string): value is Channel {
  return (CHANNELS as readonly string[]).includes(value);
}

/** `voice:+44 20 7946 0958` -> `{channel: 'voice', id: '+44 20 7946 0958'}`; the id may hold `:`. */
export function parseIdentifier(value: string): { channel: Channel; id: string } {
  const colon = value.indexOf(':');
  const channel = value.slice(0, colon).trim().toLowerCase();
  const id = value.slice(colon + 1).trim();
  if (colon < 0 || !isChannel(channel) || id === '') {
    throw new InvalidArgumentError(
      `must look like <channel>:<id>, channel one of ${CHANNELS.join(', ')} (e.g. whatsapp:wa:442079460958)`,
    );
  }
  return { channel, id };
}

const tenantOption = () =>
  new Option('--tenant <id>', 'tenant id (t_...), as printed by `memnex tenants create`')
    .makeOptionMandatory()
    .argParser((value: string) => value.trim());

const EXAMPLES = `
Examples:
  $ memnex db migrate
  $ memnex tenants create --name "Acme support"
  $ memnex keys create --tenant t_0123456789abcdef --label voice-agent --scopes memory:read,memory:write
  $ MEMNEX_SECRET_KEY=mx_live_... MEMNEX_CHANNEL=voice memnex serve mcp
  $ memnex serve mcp --transport streamable-http --port 8500
  $ MEMNEX_DEV_KEY=1 memnex serve mcp --transport streamable-http
  $ memnex forget --tenant t_0123456789abcdef --identifier voice:+442079460958
  $ memnex audit verify --tenant t_0123456789abcdef

Server settings come from MEMNEX_* environment variables (see the README of @memnex/cli).`;

/** The options of a maintenance job on a tenant, or on one person of it. */
interface PersonJobOptions {
  tenant: string;
  user?: string;
  identifier?: { channel: Channel; id: string };
  dryRun?: boolean;
  json?: boolean;
}

/** Where an action leaves the exit code of the command. */
export interface ProgramState {
  exitCode: number;
}

/** Build the `memnex` command line for one run. */
export function createProgram(io: CliIo, state: ProgramState): Command {
  const program = new Command('memnex')
    .description('Permanent, cross-channel memory for AI agents: servers, tenants, keys, data.')
    .version(cliVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .addHelpText('after', EXAMPLES);

  const run =
    <A extends unknown[]>(action: (...args: A) => Promise<number> | number) =>
    async (...args: A) => {
      state.exitCode = await action(...args);
    };

  const serve = program.command('serve').description('run a Memnex server');
  serve
    .command('mcp')
    .description(
      'serve MCP on stdio (key from MEMNEX_SECRET_KEY, channel from MEMNEX_CHANNEL; with MEMNEX_URL ' +
        'it bridges to a remote server) or on Streamable HTTP at /mcp',
    )
    .addOption(
      new Option('--transport <transport>', 'MCP transport')
        .choices(['stdio', 'streamable-http'])
        .default('stdio'),
    )
    .option('--host <host>', 'address the HTTP transport listens on', '127.0.0.1')
    .option('--port <port>', 'port of the HTTP transport (0 picks a free one)', parsePort, 8500)
    .addHelpText(
      'after',
      `
Examples:
  $ MEMNEX_SECRET_KEY=mx_live_... MEMNEX_CHANNEL=whatsapp memnex serve mcp
  $ MEMNEX_SECRET_KEY=mx_live_... MEMNEX_URL=https://memnex.example.com memnex serve mcp
  $ memnex serve mcp --transport streamable-http --host 0.0.0.0 --port 8500`,
    )
    .action(
      run(
        async (options: { transport: 'stdio' | 'streamable-http'; host: string; port: number }) => {
          // Loaded on demand: the MCP SDK is not needed by the other commands.
          const { serveMcp } = await import('./commands/serve.js');
          return serveMcp(io, options);
        },
      ),
    );
  serve
    .command('rest')
    .description(
      'serve the REST API (/v1), with /docs, /openapi.json, /metrics, /healthz and /readyz',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 8000)
    .option(
      '--workers <n>',
      'server processes sharing the port, or auto for one per core (within a CPU quota); more ' +
        'than one needs MEMNEX_POSTGRES_URL and MEMNEX_REDIS_URL (default: MEMNEX_REST_WORKERS, ' +
        'else 1)',
      parseWorkers,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ MEMNEX_DEV_KEY=1 memnex serve rest
  $ MEMNEX_POSTGRES_URL=postgres://... MEMNEX_REDIS_URL=redis://... memnex serve rest --host 0.0.0.0
  $ MEMNEX_POSTGRES_URL=postgres://... MEMNEX_REDIS_URL=redis://... memnex serve rest --workers auto`,
    )
    .action(
      run(async (options: ServeRestOptions) => {
        // Loaded on demand: Hono and prom-client are not needed by the other commands.
        const { serveRest } = await import('./commands/serve-rest.js');
        return serveRest(io, options);
      }),
    );

  const tenants = program.command('tenants').description('manage tenants');
  tenants
    .command('create')
    .description('create a tenant and print its id')
    .requiredOption('--name <name>', 'display name')
    .option('--id <id>', 'explicit tenant id (letters, digits, _ and -); random t_<hex> otherwise')
    .option('--json', 'print the tenant as JSON')
    .action(
      run((options: { name: string; id?: string; json?: boolean }) => createTenant(io, options)),
    );

  tenants
    .command('show')
    .description("print a tenant's name, state and settings")
    .addOption(tenantOption())
    .option('--json', 'print the tenant as JSON')
    .action(run((options: { tenant: string; json?: boolean }) => showTenant(io, options)));
  tenants
    .command('update')
    .description(
      "change a tenant's name or settings; each settings section given replaces that section " +
        '(null removes it), the others stay',
    )
    .addOption(tenantOption())
    .option('--name <name>', 'new display name')
    .option(
      '--settings <json>',
      'settings sections as JSON, e.g. \'{"retention":{"intent":604800},"defaultRegion":"IN"}\'',
      parseSettings,
    )
    .option('--json', 'print the tenant as JSON')
    .action(
      run(
        (
          options: {
            tenant: string;
            name?: string;
            settings?: Record<string, unknown>;
            json?: boolean;
          },
          command: Command,
        ) => {
          if (options.name === undefined && options.settings === undefined) {
            return command.error('error: give --name, --settings or both', {
              exitCode: 2,
              code: 'memnex.nothingToUpdate',
            });
          }
          return updateTenant(io, options);
        },
      ),
    );

  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .description('create an API key and print it (shown once)')
    .addOption(tenantOption())
    .option(
      '--scopes <scopes>',
      'comma-separated scopes: memory:read, memory:write, memory:forget, pii:reveal, audit:read, ' +
        'admin, state:<read|write|schema>:<glob> (default memory:read,memory:write,state:read:*,state:write:*)',
      parseList,
    )
    .option('--label <label>', 'what the key is for', 'cli')
    .addOption(
      new Option('--env <env>', 'key environment').choices(['live', 'test']).default('live'),
    )
    .addOption(
      new Option('--channel <channel>', 'default channel of the key').choices([...CHANNELS]),
    )
    .option('--pin-user <user_id>', 'pin the key to one user (a device-side agent)')
    .option('--json', 'print the key and its record as JSON')
    .addHelpText(
      'after',
      `
Example:
  $ memnex keys create --tenant t_0123456789abcdef --label whatsapp-bot --scopes memory:read,memory:write --channel whatsapp`,
    )
    .action(run((options: Parameters<typeof createKey>[1]) => createKey(io, options)));
  keys
    .command('list')
    .description("list a tenant's keys, revoked ones included")
    .addOption(tenantOption())
    .option('--json', 'print JSON')
    .action(run((options: { tenant: string; json?: boolean }) => listKeys(io, options)));
  keys
    .command('revoke')
    .description('revoke a key; it stops working at once')
    .addOption(tenantOption())
    .argument('<keyId>', 'key id, e.g. k0123abcd')
    .option('--json', 'print the revocation receipt as JSON')
    .action(
      run((keyId: string, options: { tenant: string; json?: boolean }) =>
        revokeKey(io, { ...options, keyId }),
      ),
    );

  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending migrations to the configured database')
    .action(run(() => migrate(io)));
  db.command('vacuum')
    .description(
      'expire memories past their time to live and delete those past the grace window (the ' +
        'sweep servers run every minute)',
    )
    .option('--json', 'print the result as JSON')
    .action(run((options: { json?: boolean }) => vacuum(io, options)));
  db.command('reembed')
    .description(
      'embed every memory with the configured embedding model (or --model) and switch every ' +
        "instance's searches to it once all are done; no downtime, and a rerun continues",
    )
    .option(
      '--model <spec>',
      'model to switch to: local, hash:<n>, openai:<model>, google:<model> (default: MEMNEX_EMBEDDINGS)',
    )
    .option('--batch-size <n>', 'memories read and embedded at a time (default 64)', (value) =>
      parseWhole(value, 1, 10_000),
    )
    .option('--prune', 'when done, delete the vectors of every other model')
    .option(
      '--grace <seconds>',
      'how long the old model stays written after the switch, for instances that have not yet ' +
        'seen it (default 60); --prune waits for it',
      (value) => parseWhole(value, 0, 86_400),
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ MEMNEX_EMBEDDINGS=openai MEMNEX_EMBEDDING_MODEL=text-embedding-3-small memnex db reembed
  $ memnex db reembed --model google:text-embedding-004 --prune`,
    )
    .action(run((options: ReembedCommandOptions) => reembed(io, options)));

  const userOptions = (command: Command) =>
    command
      .addOption(tenantOption())
      .addOption(new Option('--user <user_id>', 'external user id').conflicts('identifier'))
      .addOption(
        new Option('--identifier <channel:id>', 'a channel identifier, e.g. voice:+442079460958')
          .argParser(parseIdentifier)
          .conflicts('user'),
      );

  /** The person of `--user` or `--identifier`, when one is given. */
  const optionalUserOf = (options: {
    user?: string;
    identifier?: { channel: Channel; id: string };
  }): UserRef | undefined => {
    if (options.user !== undefined) return { userId: options.user };
    if (options.identifier !== undefined) return { identifier: options.identifier };
    return undefined;
  };

  const userOf = (
    command: Command,
    options: { user?: string; identifier?: { channel: Channel; id: string } },
  ): UserRef =>
    optionalUserOf(options) ??
    command.error('error: one of --user or --identifier is required', {
      exitCode: 2,
      code: 'memnex.missingUser',
    });

  userOptions(db.command('compact'))
    .description(
      'merge near-duplicate facts (the others join its history) and lower the salience of old ' +
        'facts seen once; every person of the tenant unless --user or --identifier',
    )
    .option('--dry-run', 'list what would change and change nothing')
    .option('--similarity <ratio>', 'lowest term similarity of merged facts (0.5-1)', parseRatio)
    .option('--json', 'print the result as JSON')
    .action(
      run((options: PersonJobOptions & { similarity?: number }) =>
        compact(io, { ...options, user: optionalUserOf(options) }),
      ),
    );

  userOptions(db.command('retention'))
    .description(
      "apply the tenant's retention policy (settings.retention) to the memories already stored: " +
        'each memory of a type with a retention then expires at most that long after it was ' +
        'written; every person of the tenant unless --user or --identifier',
    )
    .option('--dry-run', 'count what would change and change nothing')
    .option('--json', 'print the result as JSON')
    .action(
      run((options: PersonJobOptions) =>
        applyRetention(io, { ...options, user: optionalUserOf(options) }),
      ),
    );

  userOptions(program.command('forget'))
    .description('delete everything held of a user and print the signed receipt')
    .option('--reason <reason>', 'reason recorded in the receipt and the ledger', 'gdpr_request')
    .action(
      run(
        (
          options: {
            tenant: string;
            reason: string;
            user?: string;
            identifier?: { channel: Channel; id: string };
          },
          command: Command,
        ) => forget(io, { ...options, user: userOf(command, options) }),
      ),
    );

  userOptions(program.command('export'))
    .description('export a user (identifiers, memories with history) as JSON')
    .option('--out <file>', 'write to this file (mode 0600) instead of stdout')
    .action(
      run(
        (
          options: {
            tenant: string;
            out?: string;
            user?: string;
            identifier?: { channel: Channel; id: string };
          },
          command: Command,
        ) => exportUser(io, { ...options, user: userOf(command, options) }),
      ),
    );

  program
    .command('audit')
    .description('the tamper-evident ledger')
    .command('verify')
    .description("verify a tenant's audit chain; exit code 1 when it does not verify")
    .addOption(tenantOption())
    .option('--json', 'print the result as JSON')
    .action(run((options: { tenant: string; json?: boolean }) => verifyAudit(io, options)));

  return program;
}
