import { isIPv6 } from 'node:net';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { PiiKind } from './pii-kind.js';

/**
 * The normal form of a value an external analyzer found, the same one the built-in detectors
 * give, so a value keeps its token whichever detector found it: phones in E.164, numbers as
 * digits, emails in lower case, IBANs and PANs in upper case without spaces. Names and places
 * are compared case- and spacing-insensitively, IPv6 addresses in their compressed form.
 */
export function canonicalValue(kind: PiiKind, value: string, region?: CountryCode): string {
  switch (kind) {
    case 'email':
      return value.trim().toLowerCase();
    case 'phone': {
      const phone = parsePhoneNumberFromString(value, region ? { defaultCountry: region } : {});
      return phone?.isValid() ? phone.number : digitsOf(value);
    }
    case 'credit_card':
    case 'ssn':
    case 'aadhaar':
    case 'bank_account':
    case 'otp':
      return digitsOf(value);
    case 'iban':
    case 'pan':
      return value.replace(/\s+/g, '').toUpperCase();
    case 'ip_address':
      return ipAddress(value.trim());
    case 'person':
    case 'location':
    case 'dob':
      return value.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  }
}

function digitsOf(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits === '' ? value.trim() : digits;
}

function ipAddress(value: string): string {
  if (!isIPv6(value)) return value;
  try {
    // The URL parser writes IPv6 hosts in their shortest lower-case form.
    return new URL(`http://[${value}]/`).hostname.slice(1, -1);
  } catch {
    // A zone index ("fe80::1%eth0") is not allowed in a URL host.
    return value.toLowerCase();
  }
}
