import { EXIT_CODES } from '../errors.js';
import { writeLine, type CliIo } from '../io.js';

/** `memnex serve rest`: the REST server is not part of this release; says so and exits 2. */
export function serveRest(io: CliIo): number {
  writeLine(
    io.stderr,
    'memnex serve rest: the REST server is not available in this release; ' +
      'use `memnex serve mcp --transport streamable-http` for a network server.',
  );
  return EXIT_CODES.usage;
}
