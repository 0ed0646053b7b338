import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { type CanonicalIdentifier } from './channels.js';

/**
 * A masked form of a canonical identifier for logs: the country code and last four digits of a
 * phone (`+91******3955`), the first character and the domain of an email (`a***@example.com`),
 * the first two characters of a longer web or app id (`u_***`). Never throws.
 */
export function redactIdentifier(identifier: CanonicalIdentifier): string {
  const { namespace, value } = identifier;
  if (namespace === 'phone') return redactPhone(value);
  if (namespace === 'email') return redactEmail(value);
  return redactOpaque(value);
}

function redactPhone(value: string): string {
  const phone = parsePhoneNumberFromString(value);
  if (phone === undefined || phone.number !== value) return redactOpaque(value);
  const national = phone.nationalNumber;
  const visible = national.length >= 8 ? 4 : 2;
  const hidden = '*'.repeat(national.length - visible);
  return `+${phone.countryCallingCode}${hidden}${national.slice(-visible)}`;
}

function redactEmail(value: string): string {
  const at = value.lastIndexOf('@');
  const first = Array.from(value)[0];
  if (at <= 0 || first === undefined) return redactOpaque(value);
  return `${first}***${value.slice(at)}`;
}

function redactOpaque(value: string): string {
  const characters = Array.from(value);
  return characters.length <= 4 ? '***' : `${characters.slice(0, 2).join('')}***`;
}
