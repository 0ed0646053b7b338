import type { OutputStream } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INTERVAL_MS = 80;

/**
 * Run `work` with a spinner labelled `label` on `stream`, only when the stream is a terminal: a
 * pipe or a file gets nothing, so scripts and logs stay clean. The line is cleared afterwards.
 */
export async function withProgress<T>(
  stream: OutputStream,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  if (!stream.isTTY) return work();
  let frame = 0;
  const started = Date.now();
  const draw = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    stream.write(`\r${FRAMES[frame % FRAMES.length]} ${label}${seconds > 0 ? ` ${seconds}s` : ''}`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, INTERVAL_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    stream.write('\r\u001b[2K');
  }
}

/** A progress line for work of known size; see {@link createProgressBar}. */
export interface ProgressBar {
  /** `done` of `total` so far (`total` null when unknown), under `label`. */
  update(done: number, total: number | null, label?: string): void;
  /** Clear the line; later updates draw nothing. */
  stop(): void;
}

/** `1m 05s`, `42s`, `2h 03m`. */
function duration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * The line a progress bar draws: count of total with a percentage, the rate since the start
 * and the time left at that rate, e.g. `⠋ re-embedding 1200/5000 (24%) 85/s, 45s left`.
 */
export function progressLine(
  label: string,
  done: number,
  total: number | null,
  elapsedSeconds: number,
): string {
  const count =
    total === null
      ? `${done}`
      : `${done}/${total} (${total === 0 ? 100 : Math.floor((done / total) * 100)}%)`;
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const parts = [`${label} ${count}`];
  if (rate > 0) {
    const left = total === null ? '' : `, ${duration(Math.max(0, total - done) / rate)} left`;
    parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s${left}`);
  }
  return parts.join(' ');
}

/**
 * A progress bar on `stream` with a spinner, redrawn in place, only when the stream is a
 * terminal (a pipe or a file gets nothing, as with {@link withProgress}).
 */
export function createProgressBar(
  stream: OutputStream,
  label: string,
  now: () => number = Date.now,
): ProgressBar {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const started = now();
  let frame = 0;
  let state: { done: number; total: number | null; label: string } = {
    done: 0,
    total: null,
    label,
  };
  const draw = () => {
    const line = progressLine(state.label, state.done, state.total, (now() - started) / 1000);
    stream.write(`\r\u001b[2K${FRAMES[frame % FRAMES.length]} ${line}`);
    frame += 1;
  };
  draw();
  let timer: ReturnType<typeof setInterval> | null = setInterval(draw, INTERVAL_MS);
  return {
    update(done, total, next = state.label) {
      if (!timer) return;
      state = { done, total, label: next };
      draw();
    },
    stop() {
      if (!timer) return;
      clearInterval(timer);
      timer = null;
      stream.write('\r\u001b[2K');
    },
  };
}
