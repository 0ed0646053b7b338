import type { MemoryType, TrustLevel } from '../wire/common.js';

const TYPE_BASE: Readonly<Record<MemoryType, number>> = {
  issue: 0.8,
  intent: 0.7,
  profile: 0.7,
  preference: 0.6,
  resolution: 0.5,
  event: 0.3,
};

const TRUST_FACTOR: Readonly<Record<TrustLevel, number>> = {
  user_content: 0.9,
  agent_action: 1,
  verified_external: 1.05,
  system: 1.1,
};

/** Salience at write time, in [0, 1]: what the type is worth, scaled by confidence and trust. */
export function initialSalience(type: MemoryType, confidence: number, trust: TrustLevel): number {
  const value = TYPE_BASE[type] * (0.6 + 0.4 * confidence) * TRUST_FACTOR[trust];
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}

/** Confidence of a fact seen again: evidence accumulates but never reaches certainty at once. */
export function reinforcedConfidence(previous: number, incoming: number): number {
  return Math.round((1 - (1 - previous) * (1 - 0.5 * incoming)) * 1000) / 1000;
}
