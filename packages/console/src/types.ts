import type {
  AccountView,
  ContextFormat,
  MemoryView,
  TenantStatsView,
  TenantUsage,
  TimelineEntry,
  UserProfile,
} from '@memnex/core/wire';

// Types only: nothing of `@memnex/core` is bundled into the page.
export type {
  AuditEntryView,
  ChainVerificationView,
  ContextFormat,
  CreatedKey,
  KeyView,
  MemoryView,
  StateEntry,
  StateEvent,
  StateSchemaRecord,
} from '@memnex/core/wire';

/** `GET api/status`. */
export type ConsoleStatus =
  { enabled: true } | { enabled: false; variable: string; instructions: string };

/** `GET api/session`, and what signing in answers. */
export interface SessionView {
  account: Pick<AccountView, 'id' | 'email' | 'role' | 'lastLoginAt'>;
  tenant: { id: string; name: string };
  csrfToken: string;
  expiresAt: string;
}

/** `GET api/overview`. */
export interface Overview {
  stats: TenantStatsView;
  usage: TenantUsage;
}

/** `GET api/people`. */
export interface PersonMatch {
  userId: string;
  matchedBy: string[];
}

/** `GET api/person`. */
export interface PersonView {
  profile: UserProfile;
  current: MemoryView[];
  history: TimelineEntry[];
}

/** `GET api/person/preview`. */
export interface Preview {
  format: ContextFormat;
  tokenBudget: number;
  context: string;
  tokens: number;
  items: number;
}
