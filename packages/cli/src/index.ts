export { runCli } from './cli.js';
export type { CliIo, OutputStream } from './io.js';
export { EXIT_CODES } from './errors.js';
