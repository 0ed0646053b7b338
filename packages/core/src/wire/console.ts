/**
 * What the engine answers the web console with that no `/v1` route describes: the types only,
 * declared where the engine makes them, so that the console's page bundles none of the engine.
 */
export type { AccountView } from '../engine/accounts.js';
export type { TenantUsage } from '../engine/usage.js';
export type { UserProfile } from '../engine/user-profile.js';
