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
