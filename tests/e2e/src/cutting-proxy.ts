import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a server (an HTTP server, Postgres) whose connections a test can cut,
 * and refuse for a while.
 */
export interface CuttingProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Destroy every open connection and refuse new ones for `refuseMs` (`Infinity`: until restored). */
  cut(refuseMs?: number): void;
  /** Accept connections again. */
  restore(): void;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const { hostname, port } = new URL(target);
  const open = new Set<Socket>();
  let refuseUntil = 0;
  let accepted = 0;
  const server: Server = createServer((client) => {
    if (Date.now() < refuseUntil) {
      client.destroy();
      return;
    }
    accepted += 1;
    const upstream = connect(Number(port), hostname);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    cut(refuseMs = 0) {
      refuseUntil = Date.now() + refuseMs;
      for (const socket of open) socket.destroy();
      open.clear();
    },
    restore() {
      refuseUntil = 0;
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}
