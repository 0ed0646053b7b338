import { createMemnexClient, type MemnexClient } from '@memnex/client';
import type { StateEntry, StateEvent } from '@memnex/client';
import WebSocket from 'ws';

/** A task on the board, as stored under `team:task:<n>`. */
export interface Task {
  title: string;
  status: 'open' | 'claimed' | 'done';
  owner: string | null;
  result: string | null;
}

const TASK_SCHEMA = {
  type: 'object',
  properties: {
    title: { type: 'string', minLength: 1 },
    status: { enum: ['open', 'claimed', 'done'] },
    owner: { type: ['string', 'null'] },
    result: { type: ['string', 'null'] },
  },
  required: ['title', 'status', 'owner', 'result'],
  additionalProperties: false,
} as const;

const GOAL = 'Write the launch note for Memnex shared state';
const TITLES = [
  'Say what shared state is in one sentence',
  'Show compare-and-set claiming a task',
  'Explain resume after a reconnect',
  'List the memX-compatible routes',
  'Name the scopes a worker key needs',
];

export interface TeamOptions {
  /** Base URLs of the two instances: workers and monitor use A and B alternately. */
  urls: [string, string];
  keys: { planner: string; worker: string; summariser: string; monitor: string };
  /** Where the monitor prints; nowhere by default. */
  print?: (line: string) => void;
}

/** What the run produced, for the caller (and the test) to check. */
export interface TeamReport {
  tasks: Array<StateEntry & { value: Task }>;
  summary: StateEntry;
  /** Claims each worker won and lost to the other. */
  claims: Record<string, { won: number; lost: number }>;
  /** Every event the monitor saw, in arrival order. */
  monitored: StateEvent[];
}

const client = (url: string, apiKey: string): MemnexClient =>
  createMemnexClient({ url, apiKey, WebSocket: WebSocket as never });

/** What a worker writes for a task: no model, just a deterministic draft. */
function draftFor(task: Task, worker: string): string {
  return `${task.title} — drafted by ${worker}.`;
}

/**
 * One worker, one task at a time: whenever it is free and a task is open, it claims one with
 * compare-and-set; the loser of a race gets a conflict and looks again. A claimed task is filled
 * and marked done, again conditional on the version it claimed.
 */
function startWorker(name: string, api: MemnexClient, claims: TeamReport['claims']) {
  claims[name] = { won: 0, lost: 0 };
  const open = new Map<string, number>();
  let working = false;
  let stopped = false;

  const work = async (key: string, version: number) => {
    const entry = await api.state.get(key);
    const task = entry?.value as Task | undefined;
    if (!entry || entry.version !== version || task?.status !== 'open') return;
    const claimed = await api.state
      .set(key, { ...task, status: 'claimed', owner: name }, { ifVersion: version })
      .catch((error: { code?: string }) => {
        if (error.code !== 'CONFLICT') throw error;
        claims[name]!.lost += 1;
        return null;
      });
    if (!claimed) return;
    claims[name]!.won += 1;
    // The "work": a pause, then a deterministic draft.
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 40));
    await api.state.set(
      key,
      { ...task, status: 'done', owner: name, result: draftFor(task, name) },
      { ifVersion: claimed.version },
    );
  };

  const failures: unknown[] = [];
  let running = Promise.resolve();
  const next = () => {
    if (working || stopped || open.size === 0) return;
    // Pick any open task: two free workers rarely pick the same one, and CAS settles it if they do.
    const keys = [...open.keys()];
    const key = keys[Math.floor(Math.random() * keys.length)]!;
    const version = open.get(key)!;
    open.delete(key);
    working = true;
    running = work(key, version)
      .catch((error: unknown) => void failures.push(error))
      .finally(() => {
        working = false;
        next();
      });
  };
  const subscription = api.state.subscribe(
    'team:task:*',
    (event) => {
      if (event.event === 'value' && (event.value as Task).status === 'open') {
        open.set(event.key, event.version);
      } else open.delete(event.key);
      next();
    },
    { sinceVersion: 0 },
  );
  return {
    subscription,
    failures,
    /** Stop taking tasks, and wait for the one under way. */
    async stop() {
      stopped = true;
      subscription.close();
      await running;
    },
  };
}

/**
 * The summariser: on every finished task, rewrite `team:summary` from the whole board. It is the
 * only writer of that key, so a plain set is enough.
 */
function startSummariser(api: MemnexClient, total: number) {
  let finished!: (summary: StateEntry) => void;
  const done = new Promise<StateEntry>((resolve) => (finished = resolve));
  const failures: unknown[] = [];
  let stopped = false;
  let pending = Promise.resolve();
  const subscription = api.state.subscribe('team:task:*', (event) => {
    if (event.event !== 'value' || (event.value as Task).status !== 'done') return;
    pending = pending
      .then(async () => {
        if (stopped) return;
        const { entries } = await api.state.list({ pattern: 'team:task:*' });
        const lines = entries
          .filter((entry) => (entry.value as Task).status === 'done')
          .map((entry) => (entry.value as Task).result!);
        const summary = await api.state.set('team:summary', {
          goal: GOAL,
          done: lines.length,
          of: total,
          lines,
        });
        if (lines.length === total) finished(summary);
      })
      .catch((error: unknown) => void failures.push(error));
  });
  return {
    subscription,
    done,
    failures,
    /** Stop reacting, and wait for the summary being written, if any. */
    async stop() {
      stopped = true;
      subscription.close();
      await pending;
    },
  };
}

/** The monitor: print every change of the team's keys as it happens. */
function startMonitor(api: MemnexClient, print: (line: string) => void, seen: StateEvent[]) {
  return api.state.subscribe('team:*', (event) => {
    seen.push(event);
    if (event.event === 'schema') {
      print(`schema  ${event.key} ${event.action}`);
      return;
    }
    const shown =
      event.event === 'delete' ? '(deleted)' : JSON.stringify(event.value).slice(0, 100);
    print(`v${String(event.version).padEnd(3)} ${event.key.padEnd(14)} ${shown}`);
  });
}

/**
 * Run the team: the planner registers the task schema and seeds the goal and the tasks; two
 * workers on different instances claim and fill them; the summariser keeps `team:summary` current;
 * the monitor prints everything. Resolves when every task is done and summarised.
 */
export async function runTeam(options: TeamOptions): Promise<TeamReport> {
  const print = options.print ?? (() => undefined);
  const [a, b] = options.urls;
  const monitored: StateEvent[] = [];
  const claims: TeamReport['claims'] = {};

  const monitor = startMonitor(client(a, options.keys.monitor), print, monitored);
  const summariser = startSummariser(client(b, options.keys.summariser), TITLES.length);
  const workers = [
    startWorker('worker-a', client(a, options.keys.worker), claims),
    startWorker('worker-b', client(b, options.keys.worker), claims),
  ];
  await Promise.all([
    monitor.ready,
    summariser.subscription.ready,
    ...workers.map((w) => w.subscription.ready),
  ]);

  const planner = client(a, options.keys.planner);
  await planner.state.setSchema('team:task:*', TASK_SCHEMA);
  await planner.state.set('team:goal', { goal: GOAL, tasks: TITLES.length });
  await Promise.all(
    TITLES.map((title, index) =>
      planner.state.set(`team:task:${index + 1}`, {
        title,
        status: 'open',
        owner: null,
        result: null,
      }),
    ),
  );

  const summary = await Promise.race([
    summariser.done,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the team did not finish within 30 s')), 30_000).unref(),
    ),
  ]);
  // Let the monitor see the final summary land before it stops watching.
  const deadline = Date.now() + 5000;
  while (
    Date.now() < deadline &&
    !monitored.some((event) => event.key === 'team:summary' && event.version === summary.version)
  ) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  monitor.close();
  await Promise.all([summariser.stop(), ...workers.map((worker) => worker.stop())]);
  const failures = [...workers.flatMap((worker) => worker.failures), ...summariser.failures];
  if (failures.length > 0) throw failures[0];
  const { entries } = await planner.state.list({ pattern: 'team:task:*' });
  return { tasks: entries as TeamReport['tasks'], summary, claims, monitored };
}
