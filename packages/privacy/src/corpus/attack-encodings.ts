/**
 * Encoders used to build the encoded and obfuscated attacks of the corpus, so the corpus shows
 * the readable payload next to the trick applied to it.
 */

/** Base64 of the UTF-8 bytes. */
export const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
/** Base64url of the UTF-8 bytes. */
export const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
/** Hex of the UTF-8 bytes. */
export const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
/** Every UTF-8 byte percent-encoded. */
export const percent = (text: string) =>
  [...Buffer.from(text, 'utf8')].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('');
/** Every character as a numeric HTML entity. */
export const entities = (text: string) =>
  [...text].map((char) => `&#${char.codePointAt(0)};`).join('');
/** A zero-width space between every two characters. */
export const zeroWidth = (text: string) => [...text].join('\u200b');
const CYRILLIC: Record<string, string> = {
  a: 'а',
  e: 'е',
  o: 'о',
  p: 'р',
  c: 'с',
  i: 'і',
  x: 'х',
  y: 'у',
  s: 'ѕ',
};
/** Latin letters swapped for their Cyrillic look-alikes. */
export const cyrillic = (text: string) => text.replace(/[aeopcixys]/g, (char) => CYRILLIC[char]!);
/** ASCII as fullwidth forms. */
export const fullwidth = (text: string) =>
  text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
/** ASCII as invisible Unicode tag characters. */
export const tags = (text: string) =>
  [...text].map((char) => String.fromCodePoint(0xe0000 + char.charCodeAt(0))).join('');
