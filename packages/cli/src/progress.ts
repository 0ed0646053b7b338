import type { OutputStream } from './io.js';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INTERVAL_MS = 80;

/** A line redrawn in place after a spinner; see {@link spin}. */
interface Spinner {
  /** Draw the line again now, e.g. after what it shows changed. */
  draw(): void;
  /** Stop redrawing and clear the line. */
  stop(): void;
}

/**
 * Redraw `line()` in place after a spinner on `stream` until stopped. Only on a terminal: a pipe
 * or a file gets nothing, so scripts and logs stay clean.
 */
function spin(stream: OutputStream, line: () => string): Spinner {
  if (!stream.isTTY) return { draw: () => undefined, stop: () => undefined };
  let frame = 0;
  const draw = () => {
    stream.write(`\r\u001b[2K${FRAMES[frame % FRAMES.length]} ${line()}`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, INTERVAL_MS);
  return {
    draw,
    stop() {
      clearInterval(timer);
      stream.write('\r\u001b[2K');
    },
  };
}

/**
 * Run `work` with a spinner labelled `label` on `stream`, only when the stream is a terminal: a
 * pipe or a file gets nothing, so scripts and logs stay clean. The line is cleared afterwards.
 */
export async function withProgress<T>(
  stream: OutputStream,
  label: string,
  work: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const spinner = spin(stream, () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    return `${label}${seconds > 0 ? ` ${seconds}s` : ''}`;
  });
  try {
    return await work();
  } finally {
    spinner.stop();
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
export function createProgressBar(stream: OutputStream, label: string): ProgressBar {
  const started = Date.now();
  let state: { done: number; total: number | null; label: string } = {
    done: 0,
    total: null,
    label,
  };
  let spinner: Spinner | null = spin(stream, () =>
    progressLine(state.label, state.done, state.total, (Date.now() - started) / 1000),
  );
  return {
    update(done, total, next = state.label) {
      if (!spinner) return;
      state = { done, total, label: next };
      spinner.draw();
    },
    stop() {
      spinner?.stop();
      spinner = null;
    },
  };
}
