import { type CountryCode, isSupportedCountry } from 'libphonenumber-js/min';
import { IdentifierError } from './identifier-error.js';

const ALPHA_2 = /^[A-Z]{2}$/u;

function toRegion(region: unknown): CountryCode | undefined {
  if (typeof region !== 'string') return undefined;
  const code = region.trim().toUpperCase();
  return ALPHA_2.test(code) && isSupportedCountry(code) ? code : undefined;
}

/**
 * Whether a region can be used as a default region: an ISO 3166-1 alpha-2 code (case-insensitive)
 * that libphonenumber has numbering rules for, such as `IN`, `US` or `GB`.
 */
export function isSupportedRegion(region: string): boolean {
  return toRegion(region) !== undefined;
}

/** The region in upper case; `invalid_region` when it is not supported. */
export function requireRegion(region: unknown, channel: string): CountryCode {
  const code = toRegion(region);
  if (code !== undefined) return code;
  const shown = typeof region === 'string' ? JSON.stringify(region.slice(0, 16)) : typeof region;
  throw new IdentifierError(
    'invalid_region',
    channel,
    `The default region ${shown} is not supported: use an ISO 3166-1 alpha-2 code such as "IN".`,
  );
}
