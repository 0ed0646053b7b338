/** A benign utterance of the screening corpus and what it is about. */
export interface BenignSample {
  /** Topic, for reading misclassifications. */
  topic: string;
  /** What a customer, an agent or a support tool would write. */
  text: string;
}

/** Samples of one topic. */
export const samples = (topic: string, texts: string[]): BenignSample[] =>
  texts.map((text) => ({ topic, text }));
