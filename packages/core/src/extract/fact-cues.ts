import type { FactType } from '../wire/common.js';
import type { SpeakerRole } from './fact-extractor.js';

/** What a clause says, as far as the cues can tell. */
export interface Cue {
  type: FactType;
  /** Conflict slot the cue implies, e.g. `profile:city`. */
  slot?: string;
}

interface CueRule extends Cue {
  pattern: RegExp;
  /** Who may say it: the person, the agent, or either. Unknown speakers count as the person. */
  by: 'user' | 'agent' | 'any';
  /** Whether the cue still holds in a question ("Can you cancel my order?"). */
  inQuestion?: boolean;
}

const NEGATION =
  /\b(?:not|never|no longer|still|yet)\b|n't\b|\bcannot\b|\bsupposed to\b|\bshould have\b/u;

const DONE =
  'refunded|issued|processed|initiated|credited|reversed|cancell?ed|reset|replaced|sent|resent|' +
  're-sent|shipped|dispatched|updated|changed|fixed|resolved|waived|applied|unlocked|reactivated|' +
  'activated|rescheduled|scheduled|arranged|added|removed|submitted|blocked|unblocked|restored|' +
  'upgraded|downgraded|approved|corrected|adjusted|booked|confirmed|unsubscribed|closed|' +
  'completed|paid|sorted|delivered|returned|renewed|extended|enabled|disabled|repaired';

/** What an agent reports as done in the past tense ("the refund was processed"), unlike a status. */
const REVERSED =
  'refunded|processed|credited|reversed|cancell?ed|replaced|fixed|resolved|waived|approved|' +
  'reset|unlocked|reactivated|restored|corrected|adjusted|unblocked|repaired';

const ACTIONS =
  'cancel|refund|return|change|update|upgrade|downgrade|send|resend|reset|book|order|buy|renew|' +
  'switch|add|remove|reschedule|delete|close|rebook|replace|fix|deliver|visit|correct|exchange|' +
  'transfer|activate|deactivate|block|unblock|extend|pause|resume|arrange|move|notify|help|get|' +
  'have|repair|unsubscribe|subscribe|install|collect|pick up|waive|reverse|credit|issue|share|' +
  'reactivate|apply|port|verify|check';

/** Actions a bare imperative asks for ("cancel my plan"); "order 4521" and "check" are not requests. */
const IMPERATIVES = ACTIONS.split('|')
  .filter((action) => !['order', 'check', 'have', 'get'].includes(action))
  .join('|');

/** Resolutions strong enough to win over anything else the clause says. */
const STRONG_RESOLUTIONS: CueRule[] = [
  {
    type: 'resolution',
    by: 'agent',
    pattern: new RegExp(
      `\\b(?:i|we)(?:'ve| have|'ll| will)?(?: just| now| already| also)? (?:${DONE})\\b`,
      'u',
    ),
  },
  {
    type: 'resolution',
    by: 'any',
    pattern: new RegExp(
      `\\b(?:has|have|'ve|is|are) (?:now |just |already )?been (?:${DONE})\\b`,
      'u',
    ),
  },
  {
    type: 'resolution',
    by: 'agent',
    pattern: new RegExp(`\\b(?:was|were) (?:${REVERSED})\\b|^(?:done|sent|shared|${DONE})\\b`, 'u'),
  },
  {
    type: 'resolution',
    by: 'any',
    pattern:
      /\b(?:is|are|it's|is now|are now) (?:now )?(?:resolved|fixed|sorted|working|active|activated|done)\b|\bissue (?:is|has been) (?:resolved|fixed)\b/u,
  },
  {
    type: 'resolution',
    by: 'user',
    pattern:
      /\b(?:works|working|worked) (?:now|perfectly|fine|again|great|well)\b|\b(?:all good|sorted|fixed|resolved|ok|okay) now\b|\bthat (?:fixed|solved|did) it\b|\b(?:problem|issue) (?:is |has been )?(?:solved|resolved|fixed)\b|\bgot (?:delivered|fixed|resolved|sorted|repaired)\b|\bclose the (?:case|ticket)\b|\b(?:got|received|have received|'ve received|finally got) (?:the |my |a |your )?(?:refund|replacement|money|parcel|package|delivery|item|credit|new card)\b/u,
  },
];

const TICKET_RAISED: CueRule = {
  type: 'issue',
  by: 'any',
  pattern:
    /\b(?:raised|opened|created|logged|filed|registered|escalated|lodged)\b.{0,40}\b(?:ticket|complaint|case|dispute|investigation|claim|bug)\b|\b(?:ticket|complaint|case|dispute|claim)\b.{0,30}\b(?:has been|was|is) (?:raised|opened|created|logged|registered)\b/u,
};

const ISSUES: CueRule[] = [
  {
    type: 'issue',
    by: 'user',
    inQuestion: true,
    pattern:
      /\b(?:not|never|isn't|aren't|wasn't|weren't|doesn't|don't|didn't|hasn't|haven't|won't|can't|cannot|couldn't|unable to|does not|do not|did not|has not|have not|is not|was not|are not|will not)(?: \w+)?(?: \w+)? (?:work|works|working|arrive|arrived|received?|get|got|turn on|start|starting|charge|charging|load|loading|open|opening|connect|connecting|log in|login|access|play|sync|syncing|come|came|delivered|show up|showed up|respond|responding|reflect|reflected|updated|update|go through|gone through|drain|draining|fit|fits|match|matches|reach|reached|credited|refunded|processed|called)\b/u,
  },
  {
    type: 'issue',
    by: 'user',
    pattern:
      /\b(?:damaged|broken|cracked|defective|faulty|leaking|leaks|stuck|crashing|crashes|crashed|freezes|freezing|frozen|overcharged|double[- ]charged|twice|deducted|declined|failed|fails|failing|error|wrong|missing|late|delayed|delay|rude|dirty|expired|spoiled|stale|soaked|torn|scratched|dead|dies|noise|noisy|disconnect(?:s|ing|ed)?|logging me out|logs me out|blocked|locked out|pending|stopped|ridiculous|unacceptable|disappointed|complaint|scam|fraud|hacked|lost|slow|outage|cut off|overbilled|never made)\b/u,
  },
  {
    type: 'issue',
    by: 'user',
    inQuestion: true,
    pattern:
      /\b(?:charged|billed|debited)\b|\bwhere is my\b|\bwhy (?:was|am|did|is|were|has|have) (?:i|my|we|our)\b|\bstill (?:no|not|waiting|nothing|pending|broken)\b|\b(?:problem|issue|trouble) with\b|\b(?:nobody|no one|no-one) (?:has |had )?(?:came|come|showed|called|turned|responded|replied|picked|contacted|visited|fixed)\b|\bkeeps? (?:\w+ing)\b|\btoo (?:small|big|large|expensive|tight|loose|slow|long|short|costly|much)\b|\bsize too\b|\bwaiting\b|\b(?:is|has been|was|went|are|is still) down\b|\bno (?:network|signal|internet|power|water|response|reply|update|connection|service|refund)\b|\bsince (?:the|your) (?:last )?update\b|\bshows? (?:as )?(?:delivered|completed|paid|zero|nothing|[₹$€£\d])|\b(?:got|was|been|were|is) cancell?ed\b|\bsupposed to\b|\bsays? (?:confirmed|delivered|completed|paid)\b|\bbut (?:i|we) only\b/u,
  },
];

const PREFERENCES: CueRule[] = [
  {
    type: 'preference',
    by: 'user',
    pattern:
      /\bprefer(?:s|red|ence|ences)?\b|\b(?:i|we)(?:'d| would) rather\b|\b(?:i|we) (?:really )?(?:like|love|enjoy|hate|dislike|can't stand|always|usually)\b|\b(?:i|we) (?:don't|do not|never)(?: really| usually| ever)? (?:like|use|eat|drink|take|pick up|answer|want)\b|\bno longer (?:wish|want)\b|\bfavou?rite\b/u,
  },
  {
    type: 'preference',
    by: 'user',
    pattern:
      /\b(?:don't|do not|never|please don't|please do not) (?:call|text|message|email|send|contact|ring|disturb|deliver|share|switch|add)\b|\b(?:call|text|contact|reach|email|message|ring|deliver|visit)(?: me| us)?(?: back)? (?:(?:on|at) (?:my|this|the|other|weekends?|weekdays?)|only|after|before|between|in the (?:morning|evening|afternoon))\b/u,
  },
  {
    type: 'preference',
    by: 'user',
    pattern:
      /\b(?:after|before) \d{1,2}(?::\d{2})? ?(?:am|pm)\b|\b(?:mornings?|evenings?|afternoons?|weekends?|weekdays?)(?: \w+){0,4} (?:is|are) (?:best|better|fine|ideal)\b|\bbest time\b|\b(?:by|on|via|through) (?:email|e-mail|whatsapp|sms|text|phone|post|mail)\b(?! id)|\b(?:email|text|sms|whatsapp|call) only\b|\b(?:no|without) (?:meat|nuts|dairy|onion|onions|garlic|sugar|egg|eggs|gluten|spice|plastic)\b|\bpet-safe\b|\bcash on delivery\b|\bcod\b|\b(?:deliver|send|buy|use|pay)\b.{0,60}\bonly\b|\bonly (?:deliver|send|buy|use|pay|cash)\b|\bin (?:hindi|english|german|spanish|french|tamil|telugu|marathi|bengali|kannada|arabic|urdu|gujarati|malayalam|punjabi)\b|\bmake sure\b|\bfor (?:every|each|all) (?:order|orders|purchase|delivery|booking|invoice)\b/u,
  },
];

const PROFILES: CueRule[] = [
  {
    type: 'profile',
    slot: 'profile:name',
    by: 'user',
    pattern: /\bmy name is\b|\b(?:i'm|i am) called\b/u,
  },
  {
    type: 'profile',
    slot: 'profile:city',
    by: 'user',
    pattern:
      /\b(?:i|we)(?: live| am based|'m based| are based|'re based| moved| have moved|'ve moved| am moving|'m moving| are moving|'re moving| relocated| am relocating|'m relocating| am staying|'m staying| stay) (?:in|to|at|from|near|out)\b/u,
  },
  {
    type: 'profile',
    by: 'user',
    pattern:
      /\b(?:i|we)(?:'m| am|'re| are)(?: both| also| all)? (?:vegetarian|vegan|diabetic|pregnant|allergic|lactose intolerant|gluten intolerant|hard of hearing|deaf|blind|visually impaired|disabled|a wheelchair user|senior citizens?|retired|a student|students|expecting)\b|\b(?:i'm|i am) \d{1,3} (?:years?|yo)\b|\b(?:i|we)(?: am|'m| are|'re) (?:a|an) (?!bit\b|little\b|lot\b|few\b|big fan\b)\w+|\b(?:i'm|i am|we're|we are) the \w+ (?:admin|administrator|owner|manager|director|head|lead|ceo|cto|founder|contact)\b|\bi(?: work| am working|'m working) (?:as|at|for|in|night|nights|from home|part-time|full-time|shifts)\b|\b(?:i'm|i am) (?:learning|studying|training|a member|on the)\b/u,
  },
  {
    type: 'profile',
    by: 'user',
    pattern:
      /\b(?:i|we)(?: have|'ve got| have got) (?:a |an |two |three |four |\d+ )?(?:kids?|children|child|sons?|daughters?|dogs?|cats?|pets?|babies|baby|husband|wife|partner|twins|job interview|disability)\b|\bmy (?:son|daughter|wife|husband|mother|father|mom|mum|dad|kid|child|baby|partner) (?:is|has)\b|\b(?:customer|member|subscriber) (?:for|since)\b|\blong-time customer\b|\bbeen (?:a|your) (?:customer|member|subscriber)\b|\b(?:i|we) use (?:a|an)\b|^(?:ceo|cto|cfo|coo|founder|co-founder|director|owner|manager)\b/u,
  },
];

const INTENTS: CueRule[] = [
  {
    type: 'intent',
    by: 'user',
    inQuestion: true,
    pattern: new RegExp(
      `^(?:please )?(?:can|could|would|will|may) (?:you|someone|somebody|i|we)(?: please)?(?: \\w+)? (?:${ACTIONS})\\b`,
      'u',
    ),
  },
  {
    type: 'intent',
    by: 'user',
    pattern: new RegExp(
      `(?:^|\\b(?:i|we) )(?:really |just |also |still )?(?:want|need|would like|wish|require)\\b|\\b(?:i|we)'d (?:really )?like\\b|\\b(?:i|we)(?:'m| am|'re| are) (?:looking|planning|hoping|trying|thinking of|interested in)\\b|\\b(?:i|we) (?:plan|intend|hope) to\\b|\\bwanted to (?:\\w+ )?(?:${ACTIONS})\\b|^(?:please |kindly )?(?:${IMPERATIVES})\\b|\\b(?:please|kindly) (?:${IMPERATIVES})\\b`,
      'u',
    ),
  },
];

/** Every cue in priority order: the first that matches a clause decides its type. */
const USER_CUES: CueRule[] = [
  ...STRONG_RESOLUTIONS,
  TICKET_RAISED,
  ...ISSUES,
  ...PREFERENCES,
  ...PROFILES,
  ...INTENTS,
  {
    type: 'resolution',
    by: 'user',
    pattern:
      /\b(?:fixed|repaired|resolved|solved|sorted out|delivered|arrived|refunded|replaced|reinstated|restored)\b/u,
  },
];

/** Words that open a question, with or without its question mark. */
export const QUESTION_START =
  /^(?:what|what's|where|when|why|how|who|which|is|are|do|does|did|can|could|would|will|should|may|any)\b/u;

/**
 * The fact type a clause expresses, or null. `text` must be {@link cueText} output; `question`
 * says whether the sentence ends with a question mark.
 */
export function cueOf(text: string, role: SpeakerRole, question: boolean): Cue | null {
  const asQuestion = question || QUESTION_START.test(text);
  const speaker = role === 'agent' ? 'agent' : 'user';
  for (const rule of USER_CUES) {
    if (rule.by !== 'any' && rule.by !== speaker) continue;
    if (asQuestion && !rule.inQuestion) continue;
    if (!rule.pattern.test(text)) continue;
    if (rule.type === 'resolution' && NEGATION.test(text)) continue;
    return rule.slot ? { type: rule.type, slot: rule.slot } : { type: rule.type };
  }
  return null;
}
