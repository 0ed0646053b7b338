import { describe, expect, it } from 'vitest';
import { findAmounts } from './amounts.js';
import { findDates } from './dates.js';
import { findEntities } from './entities.js';
import { findProducts } from './products.js';
import { findReferences } from './references.js';

const reference = new Date('2026-03-02T10:00:00.000Z');

describe('findAmounts', () => {
  it('reads rupees in every spelling as INR', () => {
    for (const text of [
      '₹499',
      'Rs. 499',
      'Rs 499/-',
      'rs.499',
      '499 rupees',
      'INR 499',
      'inr499',
    ]) {
      expect(findAmounts(`paid ${text} twice`), text).toEqual(['amount:INR499']);
    }
    expect(findAmounts('₹1,29,999 and 12,000 rupees')).toEqual([
      'amount:INR129999',
      'amount:INR12000',
    ]);
  });

  it('reads dollars, euros, pounds and ISO codes, dropping zero decimals', () => {
    expect(findAmounts('$20, USD 19.99, 20 bucks')).toEqual([
      'amount:USD20',
      'amount:USD19.99',
      'amount:USD20',
    ]);
    expect(findAmounts('€89.90 or €45.00 or 10 euros')).toEqual([
      'amount:EUR89.90',
      'amount:EUR45',
      'amount:EUR10',
    ]);
    expect(findAmounts('£60 and AED 50')).toEqual(['amount:GBP60', 'amount:AED50']);
  });

  it('ignores numbers without a currency and words that only look like one', () => {
    expect(findAmounts('under 40000, order 4521, THE 50 items, versus 12')).toEqual([]);
  });
});

describe('findDates', () => {
  it('gives ISO dates where the text is unambiguous', () => {
    expect(findDates('on 2026-04-10, 14th March 2024 and March 5th, 2025', reference)).toEqual([
      'date:2026-04-10',
      'date:2024-03-14',
      'date:2025-03-05',
    ]);
    expect(findDates('25/03/2024 then 3/15/24', reference)).toEqual([
      'date:2024-03-25',
      'date:2024-03-15',
    ]);
  });

  it('keeps an ambiguous numeric date as written and a date without year as --MM-DD', () => {
    expect(findDates('on 12/03/2024', reference)).toEqual(['date:12/03/2024']);
    expect(findDates('on 14 of March, from 12 to 15 May', reference)).toEqual([
      'date:--03-14',
      'date:--05-12',
      'date:--05-15',
    ]);
  });

  it('resolves today, yesterday and tomorrow against the message time', () => {
    expect(findDates('yesterday, today and tomorrow', reference)).toEqual([
      'date:2026-03-01',
      'date:2026-03-02',
      'date:2026-03-03',
    ]);
  });

  it('refuses impossible dates', () => {
    expect(findDates('31/02/2024 and 2024-13-01 and 30 February', reference)).toEqual([]);
  });
});

describe('findReferences', () => {
  it('reads order, ticket, invoice and tracking references', () => {
    expect(
      findReferences(
        'order #4521, Order No. ord-77, complaint number CMP-20931, booking ref HB-2231, invoice INV-2024-0088, tracking number is 1Z999AA10123456784',
      ),
    ).toEqual([
      'order:4521',
      'order:ORD-77',
      'ticket:CMP-20931',
      'ticket:HB-2231',
      'invoice:INV-2024-0088',
      'tracking:1Z999AA10123456784',
    ]);
    expect(findReferences('My order ORD-55321 never came')).toEqual(['order:ORD-55321']);
  });

  it('does not read "order" as a verb or ids without digits', () => {
    expect(
      findReferences('I want to order 40 notebooks, can I order 100 pens, the ticket for you'),
    ).toEqual([]);
  });
});

describe('findProducts', () => {
  it('names branded models, explicit models and titles in parentheses', () => {
    expect(
      findProducts(
        'my Galaxy S23 and iPhone 15, the Sony WH-1000XM5, a Kindle Paperwhite I bought, model WM-7000, the course (Data Science Bootcamp)',
      ),
    ).toEqual([
      'product:Galaxy S23',
      'product:iPhone 15',
      'product:Sony WH-1000XM5',
      'product:Kindle Paperwhite',
      'product:WM-7000',
      'product:Data Science Bootcamp',
    ]);
  });

  it('leaves generic nouns and lone brands alone', () => {
    expect(findProducts('the blender, my phone, Samsung support, the Sony')).toEqual([]);
  });
});

describe('findEntities', () => {
  it('orders ids before amounts and dates, so the first entity names the slot', () => {
    expect(findEntities('Refund of ₹1,299 on 2026-03-01 for order 4521', reference)).toEqual([
      'order:4521',
      'amount:INR1299',
      'date:2026-03-01',
    ]);
  });

  it('survives hostile input', () => {
    const hostile = `${'₹'.repeat(5000)} ${'order '.repeat(5000)} ${'1/'.repeat(5000)} 😀 طلب ${'x-1'.repeat(3000)}`;
    expect(Array.isArray(findEntities(hostile, reference))).toBe(true);
    expect(findEntities('', reference)).toEqual([]);
  });
});
