import { describe, expect, it } from 'vitest';
import { consoleAsset, type ConsoleAsset } from './console-assets.js';

type Rgb = [number, number, number];

/** The channels of an opaque CSS hex colour (`#rgb` or `#rrggbb`), or null for anything else. */
function rgbOf(value: string): Rgb | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/iu.exec(value)?.[1];
  if (hex === undefined) return null;
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
  return [0, 2, 4].map((at) => Number.parseInt(full.slice(at, at + 2), 16)) as Rgb;
}

/** WCAG 2 relative luminance. */
function luminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255;
    return c <= 0.039_28 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two colours, from 1 to 21. */
function contrast(a: Rgb, b: Rgb): number {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

const text = (asset: ConsoleAsset | null) => new TextDecoder().decode(asset!.body);

describe('console styles', () => {
  it('give every text colour at least 4.5:1 against its background (WCAG AA), as the README says', async () => {
    expect(contrast([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    const page = text(await consoleAsset('index.html'));
    const sheet = /href="\.\/(assets\/[^"]+\.css)"/u.exec(page)![1]!;
    const css = text(await consoleAsset(sheet));
    const variables = new Map(
      [...css.matchAll(/--([\w-]+):([^;}]+)/gu)].map((match) => [match[1]!, match[2]!.trim()]),
    );
    const resolve = (value: string): string => {
      const name = /^var\(--([\w-]+)\)$/u.exec(value.trim())?.[1];
      return name === undefined ? value.trim() : resolve(variables.get(name) ?? '');
    };
    const colour = (value: string, where: string): Rgb => {
      const rgb = rgbOf(resolve(value));
      if (!rgb) throw new Error(`${where}: cannot judge the colour "${value}"`);
      return rgb;
    };
    // A rule that paints no background of its own is judged against both page backgrounds.
    const pageBackgrounds = [colour('var(--bg)', '--bg'), colour('var(--surface)', '--surface')];

    const ratios: Array<{ rule: string; ratio: number }> = [];
    for (const [, selector, body] of css.matchAll(/([^{}]+)\{([^{}]*)\}/gu)) {
      const rule = selector!.trim();
      const text = /(?:^|;)color:([^;]+)/u.exec(body!)?.[1];
      if (text === undefined) continue;
      // A background without a colour (`none`, minified to `0 0`) shows what lies beneath.
      const own = /(?:^|;)background(?:-color)?:([^;]+)/u.exec(body!)?.[1];
      const painted = own !== undefined && /#|rgb|hsl/u.test(resolve(own));
      const backgrounds = painted ? [colour(own, rule)] : pageBackgrounds;
      for (const background of backgrounds) {
        ratios.push({ rule, ratio: contrast(colour(text, rule), background) });
      }
    }
    expect(ratios.length).toBeGreaterThan(30);
    expect(ratios.filter(({ ratio }) => ratio < 4.5)).toEqual([]);
  });
});
