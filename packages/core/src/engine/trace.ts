import type { MemoryRecord } from '../model.js';
import { analyzeTerms } from '../text/analyze.js';
import {
  traceInputSchema,
  type TraceClaim,
  type TraceInput,
  type TraceResult,
} from '../wire/memory.js';
import type { CallContext, EngineContext } from './context.js';
import { splitClaims, specificsOf, type Claim } from './claims.js';
import { embedTexts } from './effects.js';
import { isExpired } from './ranking.js';
import { resolveUserForRead } from './users.js';
import { parseInput, splitTenant } from './validate.js';
import { cosineSimilarity, vectorNorm } from '../util/vectors.js';
import { loadWorkingSet } from './working-set.js';

/** Options of `memnex.trace`. */
export type TraceOptions = TraceInput & { tenantId: string } & CallContext;

/** Support at or above which a claim counts as backed by memory. */
const DEFAULT_THRESHOLD = 0.5;
/** Cosine similarity below which vectors add no support (sentence encoders rarely go lower). */
const COSINE_FLOOR = 0.5;
/** Memories shown as support per claim. */
const SUPPORT_PER_CLAIM = 3;

/**
 * How well one memory supports a claim, in [0, 1]: the share of the claim's content terms the
 * memory contains, blended with vector similarity when both have vectors. A number or code in the
 * claim that the memory does not contain caps support: "refund of 500" is not backed by "499".
 */
function supportScore(
  claim: Claim,
  memoryTerms: Set<string>,
  memoryText: string,
  similarity: number | null,
): number {
  const matched = claim.terms.filter((term) => memoryTerms.has(term)).length;
  const overlap = matched / claim.terms.length;
  const semantic =
    similarity === null ? null : Math.max(0, (similarity - COSINE_FLOOR) / (1 - COSINE_FLOOR));
  let score = semantic === null ? overlap : 0.6 * overlap + 0.4 * semantic;
  if (claim.specifics.length > 0) {
    const memorySpecifics = new Set(specificsOf(memoryText));
    if (!claim.specifics.every((specific) => memorySpecifics.has(specific)))
      score = Math.min(score, 0.3);
  }
  return Math.round(score * 1000) / 1000;
}

export async function trace(context: EngineContext, options: TraceOptions): Promise<TraceResult> {
  const [tenantId, { actor: _actor, ...wire }] = splitTenant(options);
  const input = parseInput(traceInputSchema, wire);
  const threshold = input.threshold ?? DEFAULT_THRESHOLD;
  const tenant = await context.tenants.require(tenantId);
  const claims = splitClaims(input.draft);
  const user = await resolveUserForRead(context, tenant, input.user);
  const now = context.now();
  const memories: MemoryRecord[] = user
    ? (await loadWorkingSet(context, user)).memories.filter((record) => !isExpired(record, now))
    : [];

  const texts = [...claims.map((claim) => claim.text), ...memories.map((record) => record.text)];
  const { vectors } = memories.length > 0 ? await embedTexts(context, texts) : { vectors: [] };
  const memoryTerms = memories.map((record) => new Set(analyzeTerms(record.text)));
  const norms = vectors.map((vector) => (vector ? vectorNorm(vector) : 0));

  const results: TraceClaim[] = claims.map((claim, claimIndex) => {
    const claimVector = vectors[claimIndex] ?? null;
    const claimNorm = norms[claimIndex] ?? 0;
    const support = memories
      .map((record, memoryIndex) => {
        const memoryVector = vectors[claims.length + memoryIndex] ?? null;
        const memoryNorm = norms[claims.length + memoryIndex] ?? 0;
        const similarity =
          claimVector && memoryVector
            ? cosineSimilarity(claimVector, claimNorm, memoryVector, memoryNorm)
            : null;
        const terms = memoryTerms[memoryIndex] ?? new Set<string>();
        return {
          id: record.id,
          text: record.text,
          type: record.type,
          score: supportScore(claim, terms, record.text, similarity),
        };
      })
      .filter((entry) => entry.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, SUPPORT_PER_CLAIM);
    const score = support[0]?.score ?? 0;
    return {
      text: claim.text,
      supported: score >= threshold,
      userSpecific: claim.userSpecific,
      score,
      support,
    };
  });

  const supported = results.filter((claim) => claim.supported).map((claim) => claim.text);
  const unsupported = results.filter((claim) => !claim.supported).map((claim) => claim.text);
  return {
    claims: results,
    supported,
    unsupported,
    suspectedHallucinations: results
      .filter((claim) => !claim.supported && claim.userSpecific)
      .map((claim) => claim.text),
    coverage:
      results.length === 0 ? 1 : Math.round((supported.length / results.length) * 1000) / 1000,
  };
}
