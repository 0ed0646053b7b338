/** A deterministic fake vector for `text`: `dimensions` values derived from its characters. */
export function fakeVector(text: string, dimensions: number): number[] {
  return Array.from(
    { length: dimensions },
    (_, index) => ((text.charCodeAt(index % Math.max(text.length, 1)) || 1) % 17) + index + 1,
  );
}
