export { createMemnexClient } from './create-client.js';
export type {
  MemnexClient,
  MemnexClientOptions,
  RequestOptions,
  StateClient,
  StateDeleteOptions,
  StateEventHandler,
  StateJsonSchema,
  StateListOptions,
  StateSchemaDeleteResult,
  StateSetOptions,
  StateSubscription,
  StateSubscriptionErrorInfo,
  StateSubscriptionOptions,
  StateValue,
  StateWebSocket,
  StateWebSocketConstructor,
  TenantStats,
  WriteRequestOptions,
} from './types.js';
export type {
  StateDeleteResult,
  StateEntry,
  StateEvent,
  StateEventKind,
  StateListResult,
  StateReady,
  StateSchemaRecord,
} from '@memnex/core/wire';
export { ERROR_CODES, MemnexError, STATE_LIMITS } from '@memnex/core/wire';
