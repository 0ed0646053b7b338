import { describe, expect, it } from 'vitest';
import {
  hasPlausibleCardPrefix,
  isPlausibleSsn,
  isValidIban,
  isValidPan,
  passesLuhn,
  passesVerhoeff,
  verhoeffCheckDigit,
} from './checksums.js';

describe('checksums', () => {
  it('checks Luhn on well-known test cards', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('378282246310005')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });

  it('accepts issuer prefixes with the lengths their networks issue', () => {
    expect(hasPlausibleCardPrefix('4111111111111111')).toBe(true);
    expect(hasPlausibleCardPrefix('378282246310005')).toBe(true);
    expect(hasPlausibleCardPrefix('3782822463100051')).toBe(false);
    expect(hasPlausibleCardPrefix('1234567812345670')).toBe(false);
    expect(hasPlausibleCardPrefix('9111111111111111')).toBe(false);
  });

  it('checks Verhoeff and computes check digits', () => {
    expect(passesVerhoeff('234123412346')).toBe(true);
    expect(passesVerhoeff('234123412345')).toBe(false);
    expect(verhoeffCheckDigit('23412341234')).toBe('6');
  });

  it('checks IBAN length per country and mod-97', () => {
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('FR1420041010050500013M02606')).toBe(true);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('DE8937040044053201300')).toBe(false);
    expect(isValidIban('XX89370400440532013000')).toBe(false);
  });

  it('rejects SSNs the SSA never issues', () => {
    expect(isPlausibleSsn('123', '45', '6789')).toBe(true);
    expect(isPlausibleSsn('000', '45', '6789')).toBe(false);
    expect(isPlausibleSsn('666', '45', '6789')).toBe(false);
    expect(isPlausibleSsn('912', '45', '6789')).toBe(false);
    expect(isPlausibleSsn('123', '00', '6789')).toBe(false);
    expect(isPlausibleSsn('123', '45', '0000')).toBe(false);
  });

  it('checks the holder-type letter of a PAN', () => {
    expect(isValidPan('ABCPE1234F')).toBe(true);
    expect(isValidPan('AAACB1234C')).toBe(true);
    expect(isValidPan('ABCDE1234F')).toBe(false);
    expect(isValidPan('ABCP1234EF')).toBe(false);
  });
});
