import type { MemoryRecord } from '../model.js';
import type { MemoryView } from '../wire/memory.js';

/**
 * Views of frozen records (a hot cache's, handed out read after read), made once and frozen too,
 * so that a server can also serialise each one once.
 */
const frozenViews = new WeakMap<MemoryRecord, MemoryView>();

/** The public view of a memory record: internal fields (tenant, user, hashes) left out. */
export function toView(record: MemoryRecord): MemoryView {
  if (!Object.isFrozen(record)) return viewOf(record);
  let view = frozenViews.get(record);
  if (!view) frozenViews.set(record, (view = Object.freeze(viewOf(record))));
  return view;
}

function viewOf(record: MemoryRecord): MemoryView {
  return {
    id: record.id,
    kind: record.kind,
    type: record.type,
    text: record.text,
    entities: record.entities,
    slot: record.slot,
    confidence: record.confidence,
    salience: record.salience,
    trust: record.trust,
    status: record.status,
    source: record.source,
    observedAt: record.observedAt,
    validFrom: record.validFrom,
    validTo: record.validTo,
    supersededBy: record.supersededBy,
    expiresAt: record.expiresAt,
    piiFields: record.piiFields,
    metadata: record.metadata,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
