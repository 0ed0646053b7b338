import type {
  AuditEntryView,
  ChainVerificationView,
  ContextFormat,
  KeyView,
  MemoryView,
  StateEntry,
  StateEvent,
  StateSchemaRecord,
  TimelineEntry,
} from '@memnex/core/wire';

export type {
  AuditEntryView,
  ChainVerificationView,
  ContextFormat,
  KeyView,
  MemoryView,
  StateEntry,
  StateEvent,
  StateSchemaRecord,
  TimelineEntry,
};

/** `GET api/status`. */
export type ConsoleStatus =
  { enabled: true } | { enabled: false; variable: string; instructions: string };

/** `GET api/session`, and what signing in answers. */
export interface SessionView {
  account: { id: string; email: string; role: 'owner' | 'viewer'; lastLoginAt: string | null };
  tenant: { id: string; name: string };
  csrfToken: string;
  expiresAt: string;
}

/** One hour of activity. */
export interface UsageBucket {
  hour: string;
  reads: number;
  writes: number;
  cacheHits: number;
  cacheMisses: number;
}

/** `GET api/overview`. */
export interface Overview {
  stats: {
    users: number;
    memories: {
      current: number;
      byKind: Record<string, number>;
      byType: Record<string, number>;
      byChannel: Record<string, number>;
    };
    oldest: string | null;
    newest: string | null;
  };
  usage: {
    hours: UsageBucket[];
    totals: Omit<UsageBucket, 'hour'>;
    cacheHitRatio: number | null;
  };
}

/** `POST api/keys`. */
export interface CreatedKey {
  key: string;
  record: KeyView;
}

/** `GET api/people`. */
export interface PersonMatch {
  userId: string;
  matchedBy: string[];
}

/** `GET api/person`. */
export interface PersonView {
  profile: {
    userId: string;
    createdAt: string;
    updatedAt: string;
    version: number;
    identifiers: Array<{ channel: string; id: string; linkedAt: string }>;
  };
  current: MemoryView[];
  history: TimelineEntry[];
  timeline: TimelineEntry[];
}

/** `GET api/person/preview`. */
export interface Preview {
  format: ContextFormat;
  tokenBudget: number;
  context: string;
  tokens: number;
  items: number;
}
