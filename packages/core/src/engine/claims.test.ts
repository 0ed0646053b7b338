import { describe, expect, it } from 'vitest';
import { splitClaims } from './claims.js';

describe('splitClaims', () => {
  it('keeps statements and drops greetings, questions and fragments', () => {
    const claims = splitClaims(
      'Hi Priya! Your order #4521 was refunded yesterday. Is there anything else?\n- You prefer WhatsApp updates',
    );
    expect(claims.map((claim) => claim.text)).toEqual([
      'Your order #4521 was refunded yesterday.',
      'You prefer WhatsApp updates',
    ]);
  });

  it('marks claims about the person and their numbers as user-specific', () => {
    const [about, general] = splitClaims(
      'Your refund of 499 is on its way. Refunds usually take five working days.',
    );
    expect(about).toMatchObject({ userSpecific: true, specifics: ['499'] });
    expect(general?.userSpecific).toBe(false);
  });

  it('keeps an abbreviation inside its claim, and splits clauses at semicolons', () => {
    const claims = splitClaims(
      'We refunded Rs. 499 for order no. 4521 yesterday; the courier collects the parcel tomorrow.',
    );
    expect(claims.map((claim) => claim.text)).toEqual([
      'We refunded Rs. 499 for order no. 4521 yesterday',
      'the courier collects the parcel tomorrow.',
    ]);
  });
});
