import type * as FileSystem from 'node:fs/promises';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const reads = vi.hoisted(() => ({ files: [] as string[] }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof FileSystem>();
  return {
    ...actual,
    readFile: (file: string) => {
      reads.files.push(file);
      return actual.readFile(file);
    },
  };
});

const { consoleAsset } = await import('./console-assets.js');

beforeEach(() => {
  reads.files = [];
});

describe('consoleAsset', () => {
  it('reads a file of the build once, and keeps it', async () => {
    const first = await consoleAsset('index.html');
    const second = await consoleAsset('index.html');
    expect(first?.type).toBe('text/html; charset=utf-8');
    expect(second).toBe(first);
    expect(reads.files).toHaveLength(1);
  });

  it('keeps nothing of a path that names no file, so made-up paths cannot fill memory', async () => {
    expect(await consoleAsset('assets/made-up-1.js')).toBeNull();
    expect(await consoleAsset('assets/made-up-1.js')).toBeNull();
    // Each ask looks again: the first answer was not kept.
    expect(reads.files).toHaveLength(2);
  });
});
