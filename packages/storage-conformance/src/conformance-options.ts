import type { Lifecycle } from '@memnex/core';
import { afterEach, beforeEach } from 'vitest';

/** How a conformance suite obtains the port under test. */
export interface ConformanceOptions<Port> {
  /** Name of the adapter, shown in the test report, e.g. `memory` or `postgres`. */
  name: string;
  /**
   * Create a port, not yet initialised. Called before every test (each test then calls `init`)
   * and once while tests are collected, to read `capabilities`.
   */
  create: () => Promise<Port> | Port;
  /** Remove what a test left behind; called after every test, before `close`. */
  cleanup?: (port: Port) => Promise<void>;
}

/**
 * Create and initialise a fresh port before every test of the enclosing `describe`, clean it up
 * and close it after. Returns an accessor for the current port.
 */
export function usePort<Port extends Lifecycle>(options: ConformanceOptions<Port>): () => Port {
  let current: Port | undefined;
  beforeEach(async () => {
    current = await options.create();
    await current.init();
  });
  afterEach(async () => {
    const port = current;
    current = undefined;
    if (!port) return;
    await options.cleanup?.(port);
    await port.close();
  });
  return () => {
    if (!current) throw new Error('the port is only available inside a test');
    return current;
  };
}

/** The capabilities of the adapter, read from a port that is created and closed at once. */
export async function probeCapabilities<Port extends Lifecycle & { readonly capabilities: object }>(
  options: ConformanceOptions<Port>,
): Promise<Port['capabilities']> {
  const port = await options.create();
  const capabilities = { ...port.capabilities };
  await port.close();
  return capabilities;
}
