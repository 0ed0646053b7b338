/** A text found by decoding part of another. */
export interface DecodedText {
  /** The decoded text. */
  text: string;
  /** The encodings peeled off, outermost first, e.g. `base64>url`. */
  via: string;
}

/** Bounds that keep decoding cheap on hostile input. */
export interface DecodeLimits {
  /** Layers of encoding peeled off at most (base64 inside base64 is two). */
  maxDepth: number;
  /** Most decoded texts kept. */
  maxTexts: number;
  /** Most characters of decoded text kept, summed over all texts. */
  maxChars: number;
}

/** Defaults: three layers, 256 texts, 256 Ki characters of decoded text. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxDepth: 3,
  maxTexts: 256,
  maxChars: 262_144,
};

/** Base64 or base64url runs of at least 16 characters. */
const BASE64_BLOB = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
/** At least 8 hex byte pairs separated by spaces, colons, commas or `0x`. */
const SPACED_HEX = /(?:0x)?[0-9a-fA-F]{2}(?:[\s:,]+(?:0x)?[0-9a-fA-F]{2}){7,}/g;
const PERCENT = /%[0-9a-fA-F]{2}/;
const HTML_ENTITY = /&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot|apos|nbsp);/;
const ESCAPE = /\\(?:u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2})/;

/**
 * Every text hidden inside `text` under URL encoding, HTML entities, `\u`/`\x` escapes, hex or
 * base64(url) blobs, peeled recursively up to the limits. A decoding is kept only when it is
 * mostly printable text, so random ids and hashes decode to nothing.
 */
export function decodeHidden(
  text: string,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): DecodedText[] {
  const found: DecodedText[] = [];
  const seen = new Set<string>([text]);
  let chars = 0;
  const queue: Array<{ text: string; via: string; depth: number }> = [{ text, via: '', depth: 0 }];
  for (let item = queue.shift(); item; item = queue.shift()) {
    if (item.depth >= limits.maxDepth) continue;
    for (const [encoding, decoded] of decodeOnce(item.text)) {
      if (seen.has(decoded) || !isMostlyPrintable(decoded)) continue;
      if (found.length >= limits.maxTexts || chars + decoded.length > limits.maxChars) return found;
      seen.add(decoded);
      chars += decoded.length;
      const via = item.via ? `${item.via}>${encoding}` : encoding;
      found.push({ text: decoded, via });
      queue.push({ text: decoded, via, depth: item.depth + 1 });
    }
  }
  return found;
}

function* decodeOnce(text: string): Generator<[string, string]> {
  // Escapes are decoded line by line, so a long text with one encoded link is not copied whole.
  for (const line of text.split('\n')) {
    if (PERCENT.test(line)) yield ['url', decodePercent(line)];
    if (HTML_ENTITY.test(line)) yield ['html', decodeEntities(line)];
    if (ESCAPE.test(line)) yield ['escape', decodeEscapes(line)];
  }
  for (const match of text.matchAll(SPACED_HEX)) {
    yield ['hex', utf8(Buffer.from(match[0].replace(/0x|[\s:,]/g, ''), 'hex'))];
  }
  for (const match of text.matchAll(BASE64_BLOB)) {
    const blob = match[0];
    if (/^[0-9a-fA-F]+$/.test(blob) && blob.length % 2 === 0) {
      yield ['hex', utf8(Buffer.from(blob, 'hex'))];
    }
    // Node's base64 decoder also reads the URL-safe alphabet and missing padding.
    yield ['base64', utf8(Buffer.from(blob, 'base64'))];
  }
}

/** ROT13 of Latin letters; applying it twice gives the text back. */
export function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (char) => {
    const base = char <= 'Z' ? 65 : 97;
    return String.fromCharCode(((char.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** `%xx` sequences as UTF-8 bytes and `+` as a space; malformed sequences are kept. */
function decodePercent(text: string): string {
  return text
    .replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => utf8(Buffer.from(run.replace(/%/g, ''), 'hex')))
    .replace(/\+/g, ' ');
}

const NAMED_ENTITIES: Record<string, string> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(
    /&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|lt|gt|amp|quot|apos|nbsp);/g,
    (entity, body: string) => {
      if (!body.startsWith('#')) return NAMED_ENTITIES[body]!;
      const code = body[1] === 'x' ? parseInt(body.slice(2), 16) : Number(body.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    },
  );
}

function decodeEscapes(text: string): string {
  return text.replace(
    /\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))/g,
    (escape, braced?: string, four?: string, two?: string) => {
      const code = parseInt((braced ?? four ?? two)!, 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : escape;
    },
  );
}

const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}\t\n\r]/u;

/** At least 4 characters, 85% of them printable (undecodable bytes are not), 30% letters or digits. */
function isMostlyPrintable(text: string): boolean {
  if (text.length < 4) return false;
  let printable = 0;
  let letters = 0;
  for (const char of text) {
    if (char !== '\uFFFD' && PRINTABLE.test(char)) printable += 1;
    if (/[\p{L}\p{N}]/u.test(char)) letters += 1;
  }
  const length = [...text].length;
  return printable / length >= 0.85 && letters / length >= 0.3;
}
