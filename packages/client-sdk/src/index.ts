export { createMemnexClient } from './create-client.js';
export type {
  MemnexClient,
  MemnexClientOptions,
  RequestOptions,
  TenantStats,
  WriteRequestOptions,
} from './types.js';
export { ERROR_CODES, MemnexError } from '@memnex/core/wire';
