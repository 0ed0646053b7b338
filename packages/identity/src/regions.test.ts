import { describe, expect, it } from 'vitest';
import { isSupportedRegion } from './regions.js';

describe('isSupportedRegion', () => {
  it.each(['IN', 'US', 'GB', 'in', ' de '])('accepts %j', (region) => {
    expect(isSupportedRegion(region)).toBe(true);
  });

  it.each(['ZZ', 'XX', 'EU', 'IND', '001', '', 'I'])('refuses %j', (region) => {
    expect(isSupportedRegion(region)).toBe(false);
  });
});
