// Greetings, acknowledgements and discourse markers that open a clause without adding to it.
const OPENER =
  /^(?:hi+|hello+|hey+|hiya|yo|good (?:morning|afternoon|evening|day)|dear (?:team|sir|madam|sir\/madam|support|all|customer)|yeah|yea|yes|yep|yup|ok+|okay|k|so|well|right|alright|oh|ah|sure|anyway|now|thanks|thank you(?: so much| very much)?|thx|ty|also|just|then|done|(?:remind me|remember|note|keep in mind|fyi|just so you know)(?: that)?|(?:i am|i'm) writing to (?:inform you|let you know|tell you|say)(?: that)?|(?:i )?just wanted to (?:let you know|say|inform you|tell you)(?: that)?|(?:i can see|i see|it looks like)(?: that)?)\b[\s,!.:;-]*/iu;

// Whole clauses that are courtesy, acknowledgement or chit-chat.
const SMALL_TALK =
  /^(?:how are you(?: doing| today)?|i'm (?:good|fine|great|well|ok|okay|doing (?:well|good|great|fine))|(?:i'm |i am )?doing (?:well|good|great|fine)|thank(?:s| you)(?: \w+){0,3}|you're welcome|no problem|no worries|not a problem|have a (?:nice|good|great|lovely) (?:day|evening|weekend|night)|see you(?: \w+){0,2}|bye(?: bye)?|good ?night|happy (?:new year|diwali|birthday|holidays|holi|eid)|merry christmas|lol|haha+|nice|cool|great|perfect|awesome|noted|got it|one (?:second|sec|moment|minute)|hold on|can you hear me|are you there|anyone there|is there anything else(?: \w+){0,5}|that's all(?: \w+){0,3}|nothing else|hope you(?:'re| are) (?:well|doing well|good)|(?:kind |best |warm )?regards|best|cheers|sincerely|yours (?:sincerely|faithfully|truly)|wrong number(?: \w+)?|(?:please )?keep (?:that|this) in mind(?: \w+){0,4}|sorry(?: \w+){0,2})[\s.!?,:]*$/iu;

/** Strip leading greetings and discourse markers ("Hi, yeah so my order ..."). */
export function stripOpeners(clause: string): string {
  let current = clause.trim();
  for (let guard = 0; guard < 8; guard += 1) {
    const match = OPENER.exec(current);
    if (!match || match[0].length === 0 || match[0].length === current.length) break;
    current = current.slice(match[0].length).trim();
  }
  return current;
}

/** True for clauses with nothing to remember: greetings, thanks, courtesy, acknowledgements. */
export function isSmallTalk(clause: string): boolean {
  const text = clause.trim();
  if (!/[\p{L}\p{N}]/u.test(text)) return true;
  if (SMALL_TALK.test(text)) return true;
  const opened = OPENER.exec(text);
  return opened !== null && opened[0].length === text.length;
}
