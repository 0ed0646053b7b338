import { MemnexError } from '@memnex/core';
import { OptionIssues } from '@memnex/provider-utils';

/** The option checks of the embedder factories: `VALIDATION_FAILED`, and the batching options. */
export class EmbedderOptionIssues extends OptionIssues {
  constructor(factory: string) {
    super(factory, MemnexError.validation);
  }

  /** Check the shared `batchSize` and `cacheSize` options. */
  batching(options: { batchSize?: unknown; cacheSize?: unknown }): this {
    return this.integer('batchSize', options.batchSize, 1).integer(
      'cacheSize',
      options.cacheSize,
      0,
    );
  }
}
