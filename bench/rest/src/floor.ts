import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { percentile, postLoad } from './load.js';

/** A running {@link floor-server.ts} process. */
export interface FloorServer {
  url: string;
  stop(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./floor-server.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');

/**
 * Start the machine's floor server (see `floor-server.ts`) as a child process: `read` answers the
 * bytes in `bodyFile`, `set` stores values and pushes their changes.
 */
export async function startFloorServer(
  redisUrl: string,
  mode: 'read' | 'set',
  bodyFile?: string,
): Promise<FloorServer> {
  const args = ['--import', TSX, SERVER, redisUrl, mode, ...(bodyFile ? [bodyFile] : [])];
  const child: ChildProcess = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening (\d+)/u.exec(output);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() =>
      reject(new Error(`the floor server exited before listening: ${output}`)),
    );
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** What one autocannon run against the floor server measured. */
export interface FloorRun {
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Answers that were not 2xx, and connection errors. */
  failed: number;
}

/** Load the floor server as {@link runScenario} loads Memnex (one fixed body). */
export async function loadFloor(
  url: string,
  request: { path: string; headers: Record<string, string>; body: string },
  connections: number,
  duration: number,
): Promise<FloorRun> {
  const { result, latencies } = await postLoad(url, request, connections, duration);
  return {
    connections,
    requestsPerSecond: result.requests.average,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed: result.non2xx + result.errors,
  };
}
