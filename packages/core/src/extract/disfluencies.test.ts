import { describe, expect, it } from 'vitest';
import { removeDisfluencies } from './disfluencies.js';

const spoken = (text: string) => removeDisfluencies(text, { spoken: true });
const typed = (text: string) => removeDisfluencies(text, { spoken: false });

describe('removeDisfluencies on a voice transcript', () => {
  it('drops hesitations and discourse fillers, keeping sentence punctuation', () => {
    expect(
      spoken('um hi, so I ordered a blender and uh it arrived, you know, completely cracked.'),
    ).toBe('hi, so I ordered a blender and it arrived, completely cracked.');
    expect(spoken("Erm I'd like to cancel, I mean, I'm moving.")).toBe(
      "I'd like to cancel, I'm moving.",
    );
    expect(spoken('Um. My order is late, basically.')).toBe('My order is late.');
  });

  it('collapses repeated words and restarted phrases to the last attempt', () => {
    expect(spoken('I I I want a refund')).toBe('I want a refund');
    expect(spoken('my order my order is late')).toBe('my order is late');
    expect(spoken('I need, I need the invoice')).toBe('I need the invoice');
    expect(spoken('I want to, um, I want to buy the plan')).toBe('I want to buy the plan');
    expect(spoken('okay okay um can I can I change it')).toBe('okay can I change it');
  });

  it('removes "like" only where it is a filler', () => {
    expect(spoken('it was, like, broken')).toBe('it was broken');
    expect(spoken("it's like a grinding noise")).toBe("it's a grinding noise");
    expect(spoken('waited like two weeks')).toBe('waited two weeks');
    expect(spoken("I'd like a refund. I like the blue one. It looks like rain.")).toBe(
      "I'd like a refund. I like the blue one. It looks like rain.",
    );
  });

  it('keeps "you know" and "I mean" when they are the sentence', () => {
    expect(spoken('do you know my order number?')).toBe('do you know my order number?');
    expect(spoken('what I mean is the box was empty')).toBe('what I mean is the box was empty');
  });

  it('does not repeat-collapse across a sentence end', () => {
    expect(spoken('Thank you. Thank you.')).toBe('Thank you. Thank you.');
  });
});

describe('removeDisfluencies on typed text', () => {
  it('drops typed hesitations only', () => {
    expect(typed('hmm ok, umm my order is late')).toBe('ok, my order is late');
    expect(typed('I I want it, like, today')).toBe('I I want it, like, today');
  });
});

describe('removeDisfluencies on hostile input', () => {
  it('returns nothing for a text of fillers only, and keeps blank lines bounded', () => {
    expect(spoken('um uh erm hmm, uh... um?')).toBe('');
    expect(spoken('\n\n\n\n   \n')).toBe('');
    expect(spoken('first\n\n\n\n\nsecond')).toBe('first\n\nsecond');
  });

  it('keeps emoji and right-to-left text', () => {
    expect(spoken('😀 😀 my order 😀 is late 🙏')).toBe('😀 😀 my order 😀 is late 🙏');
    expect(spoken('طلبي متأخر جدا')).toBe('طلبي متأخر جدا');
    expect(spoken('שלום שלום עולם')).toBe('שלום עולם');
  });

  it('handles 10 000 repeated words and a 60 000-character line in one pass', () => {
    expect(spoken('refund '.repeat(10_000))).toBe('refund');
    expect(spoken('my order '.repeat(10_000))).toBe('my order');
    const long = 'the parcel came late and the box was open '.repeat(1500);
    expect(spoken(long).length).toBeLessThanOrEqual(long.length);
  });
});
