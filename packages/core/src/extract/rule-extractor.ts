import { LIMITS } from '../wire/common.js';
import { QUESTION_START, cueOf, type Cue } from './fact-cues.js';
import { cueText } from './cue-text.js';
import { findEntities, mergeEntities } from './entities.js';
import type { ExtractedFact, ExtractionMessage, FactExtractor } from './fact-extractor.js';
import { rewriteFirstPerson } from './first-person.js';
import { isSmallTalk, stripOpeners } from './small-talk.js';
import { splitClauses, splitSentences, type ClausePiece } from './sentences.js';

/** Confidence of a fact the rules found: they read cues, not meaning. */
export const RULE_CONFIDENCE = 0.7;

/** Longest clause the cues read; longer ones are read from their start. */
const CUE_WINDOW = 1000;
const LEADING_CONNECTIVE =
  /^(?:but|because|since|so|and|although|though|cause|coz|cos|which|as|also|then|plus)\b[\s,]*/iu;
const ID_TYPES = /^(?:order|ticket|invoice|tracking|product):/u;
/** Longest clause before the first cue that still belongs to the fact. */
const LEADING_WORDS = 6;

interface Clause {
  text: string;
  cue: Cue | null;
  /** Whether the clause asks something; a question adds nothing to the fact before it. */
  question?: boolean;
  /** What separates it from the next clause in the sentence. */
  separator: string;
}

/** Join clause texts with the separators they had, when they were neighbours. */
function joinClauses(parts: Array<{ clause: Clause; position: number }>): string {
  let text = '';
  for (const [index, { clause, position }] of parts.entries()) {
    const previous = parts[index - 1];
    if (previous) {
      const written = previous.position === position - 1 ? previous.clause.separator.trim() : ',';
      text += written === '' ? ' ' : /^[,;:]$/u.test(written) ? `${written} ` : ` ${written} `;
    }
    text += clause.text;
  }
  return text;
}

interface MessageFacts {
  message: ExtractionMessage;
  facts: ExtractedFact[];
  /** Entities of sentences that stated no fact ("The order number is 4521."). */
  orphans: string[];
}

/**
 * The deterministic extractor: sentences (`Intl.Segmenter`), clauses, greeting and small-talk
 * removal, type cues for the five fact types (resolutions mostly from the agent), first-person
 * rewriting where safe, and `type:value` entities. No model, no network; linear in the text.
 */
export function createRuleExtractor(): FactExtractor {
  return {
    extract: async ({ messages }) => extractWithRules(messages),
  };
}

/** {@link createRuleExtractor} as a plain function. */
export function extractWithRules(messages: readonly ExtractionMessage[]): ExtractedFact[] {
  const perMessage = messages.map(factsOfMessage);
  for (const [position, current] of perMessage.entries()) {
    if (current.orphans.length === 0) continue;
    const owner = current.facts.length > 0 ? current : nearestWithFacts(perMessage, position);
    for (const fact of owner?.facts ?? []) {
      fact.entities = mergeEntities(fact.entities, current.orphans).slice(
        0,
        LIMITS.entitiesPerFact,
      );
    }
  }
  return perMessage.flatMap((entry) => entry.facts);
}

/** The closest message (two either side, earlier first) of the same speaker that has facts. */
function nearestWithFacts(all: MessageFacts[], position: number): MessageFacts | undefined {
  const { speaker, role } = all[position]!.message;
  for (const distance of [1, 2]) {
    for (const candidate of [all[position - distance], all[position + distance]]) {
      if (
        candidate &&
        candidate.facts.length > 0 &&
        candidate.message.speaker === speaker &&
        candidate.message.role === role
      ) {
        return candidate;
      }
    }
  }
  return undefined;
}

function factsOfMessage(message: ExtractionMessage): MessageFacts {
  const reference = new Date(message.observedAt);
  const facts: ExtractedFact[] = [];
  const orphans: string[] = [];
  const seen = new Set<string>();
  for (const sentence of splitSentences(message.text)) {
    const groups = groupsOf(sentence, message);
    const sentenceEntities = findEntities(sentence, reference);
    if (groups.length === 0) {
      orphans.push(...sentenceEntities);
      continue;
    }
    // Ids said anywhere in the sentence belong to each of its facts ("I want to return it
    // because order 4521 is the wrong size").
    const shared =
      groups.length > 1 ? sentenceEntities.filter((entity) => ID_TYPES.test(entity)) : [];
    for (const group of groups) {
      const text = rewriteFirstPerson(group.text.replace(LEADING_CONNECTIVE, ''), message.role)
        .slice(0, LIMITS.factTextLength)
        .trim();
      const key = `${group.cue.type}\n${text.toLowerCase()}`;
      if (!text || seen.has(key)) continue;
      seen.add(key);
      const own = groups.length > 1 ? findEntities(group.text, reference) : sentenceEntities;
      const previous = facts[facts.length - 1];
      // "Order 7781 hasn't arrived. Still waiting." is one issue, not two.
      if (previous && sameFact({ type: previous.type, slot: previous.slot }, group.cue)) {
        previous.text = `${previous.text}; ${text}`.slice(0, LIMITS.factTextLength);
        previous.entities = mergeEntities(previous.entities, own, shared).slice(
          0,
          LIMITS.entitiesPerFact,
        );
        continue;
      }
      const fact: ExtractedFact = {
        type: group.cue.type,
        text,
        entities: mergeEntities(own, shared).slice(0, LIMITS.entitiesPerFact),
        messageId: message.id,
        confidence: RULE_CONFIDENCE,
      };
      if (group.cue.slot) fact.slot = group.cue.slot;
      facts.push(fact);
    }
  }
  return { message, facts, orphans };
}

/**
 * The facts of one sentence: each clause with a cue, with the clauses after it that have none
 * ("..., it's a birthday gift"), and short ones before it. Neighbouring clauses of the same type
 * make one fact; a sentence with one cue is one fact.
 */
function groupsOf(sentence: string, message: ExtractionMessage): Array<{ text: string; cue: Cue }> {
  const question = sentence.trimEnd().endsWith('?');
  const pieces = splitClauses(sentence);
  const clauses: Clause[] = [];
  for (const [position, piece] of pieces.entries()) {
    const isQuestion = question && position === pieces.length - 1;
    clauses.push(...splitConjunction(piece, message, isQuestion));
  }
  const groups: Array<{ cue: Cue; parts: Array<{ clause: Clause; position: number }> }> = [];
  let leading: Array<{ clause: Clause; position: number }> = [];
  for (const [position, clause] of clauses.entries()) {
    if (!clause.text) continue;
    const part = { clause, position };
    const last = groups[groups.length - 1];
    if (clause.cue && last && sameFact(last.cue, clause.cue)) {
      last.parts.push(part);
    } else if (clause.cue) {
      groups.push({ cue: clause.cue, parts: [...leading, part] });
      leading = [];
    } else if (last) {
      if (!clause.question) last.parts.push(part);
    } else if (clause.text.split(/\s+/u).length <= LEADING_WORDS || /\d/u.test(clause.text)) {
      // A short lead-in ("the cake for order 3310") belongs to the fact; a long preamble does not.
      leading.push(part);
    }
  }
  return groups.map((group) => ({ cue: group.cue, text: joinClauses(group.parts) }));
}

/** Types whose neighbouring statements tell one story; profiles and preferences are one each. */
const MERGED_TYPES = new Set(['issue', 'resolution', 'intent']);

/** Neighbouring statements of one type make one fact, unless they fill a named slot. */
function sameFact(a: Cue, b: Cue): boolean {
  return (
    a.type === b.type && MERGED_TYPES.has(a.type) && a.slot === undefined && b.slot === undefined
  );
}

/** A clause, split at "and" when both sides state a fact ("blocked your card and raised a dispute"). */
function splitConjunction(
  piece: ClausePiece,
  message: ExtractionMessage,
  question: boolean,
): Clause[] {
  const whole = classify(piece.text, piece.separator, message, question);
  const parts = piece.text.split(/\s+and\s+/iu);
  if (parts.length < 2 || parts.length > 4) return [whole];
  const classified = parts.map((part, index) => {
    const last = index === parts.length - 1;
    return classify(part, last ? piece.separator : ' and ', message, question && last);
  });
  if (classified.filter((clause) => clause.cue !== null).length < 2) return [whole];
  return classified;
}

function classify(
  text: string,
  separator: string,
  message: ExtractionMessage,
  question: boolean,
): Clause {
  const opened = stripOpeners(text);
  const cue = cueText(stripOpeners(opened.replace(LEADING_CONNECTIVE, '')).slice(0, CUE_WINDOW));
  if (isSmallTalk(cue)) return { text: '', cue: null, separator };
  const asked = question || QUESTION_START.test(cue);
  return { text: opened, cue: cueOf(cue, message.role, question), question: asked, separator };
}
