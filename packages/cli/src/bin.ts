import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2));
// Let stdout and stderr drain before leaving: a piped result must not be cut short.
await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
process.exit(code);
