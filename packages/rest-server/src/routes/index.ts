import type { AnyRoute } from '../route.js';
import { ADMIN_ROUTES } from './admin.js';
import { IDENTITY_ROUTES } from './identity.js';
import { MEMORY_ROUTES } from './memory.js';
import { STATE_ROUTES } from './state.js';

/** Every `/v1` route, in the order the OpenAPI document lists them. */
export const ROUTES: readonly AnyRoute[] = [
  ...MEMORY_ROUTES,
  ...IDENTITY_ROUTES,
  ...STATE_ROUTES,
  ...ADMIN_ROUTES,
];
