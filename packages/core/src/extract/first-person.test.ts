import { describe, expect, it } from 'vitest';
import { rewriteFirstPerson } from './first-person.js';

describe('rewriteFirstPerson', () => {
  it("states the person's first-person sentences about them", () => {
    expect(rewriteFirstPerson('I live in Pune.', 'user')).toBe('Lives in Pune');
    expect(rewriteFirstPerson('My order 4521 arrived damaged', 'user')).toBe(
      'Order 4521 arrived damaged',
    );
    expect(rewriteFirstPerson('I want to cancel my plan', 'user')).toBe(
      'Wants to cancel their plan',
    );
    expect(rewriteFirstPerson("I'm allergic to peanuts", 'unknown')).toBe('Is allergic to peanuts');
    expect(rewriteFirstPerson('I have two kids', 'user')).toBe('Has two kids');
    expect(rewriteFirstPerson("I've moved to Berlin", 'user')).toBe('Has moved to Berlin');
    expect(rewriteFirstPerson("I'd like a refund", 'user')).toBe('Would like a refund');
    expect(rewriteFirstPerson('I ordered a sofa', 'user')).toBe('Ordered a sofa');
    expect(rewriteFirstPerson("I don't use cards", 'user')).toBe("Doesn't use cards");
  });

  it("states an agent's done action without the agent", () => {
    expect(rewriteFirstPerson("I've refunded ₹499 to your card.", 'agent')).toBe(
      'Refunded ₹499 to their card',
    );
    expect(rewriteFirstPerson('We have shipped your replacement', 'agent')).toBe(
      'Shipped their replacement',
    );
  });

  it('keeps the sentence when a rewrite would be unsure', () => {
    expect(rewriteFirstPerson('I think I was charged twice.', 'user')).toBe(
      'I think I was charged twice',
    );
    expect(rewriteFirstPerson('We moved to Pune', 'user')).toBe('We moved to Pune');
    expect(rewriteFirstPerson('Can I change my address?', 'user')).toBe('Can I change my address?');
    expect(rewriteFirstPerson('Please cancel my order', 'user')).toBe('Please cancel my order');
    expect(rewriteFirstPerson("I've refunded it, you'll see it soon", 'agent')).toBe(
      "I've refunded it, you'll see it soon",
    );
  });
});
