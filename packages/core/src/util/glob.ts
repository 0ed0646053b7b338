/**
 * Globs over state keys: `*` matches any run of characters (`:` and `/` included, as in memX's
 * fnmatch), `?` exactly one. Every other character matches itself.
 */
export interface Glob {
  readonly pattern: string;
  /** True when the pattern has no wildcard. */
  readonly exact: boolean;
  /** The literal text before the first wildcard: every match starts with it. */
  readonly prefix: string;
  test(key: string): boolean;
}

// No `-`: outside a class it needs no escape, and a `u` regex refuses `\-` as invalid.
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function toRegExp(pattern: string, anyOne: string): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '[^]*';
    else if (char === '?') source += anyOne;
    else source += escape(char);
  }
  return new RegExp(`^${source}$`, 'u');
}

const cache = new Map<string, Glob>();

/** Compile a glob (cached; patterns are few and reused). */
export function compileGlob(pattern: string): Glob {
  const cached = cache.get(pattern);
  if (cached) return cached;
  const wildcard = pattern.search(/[*?]/u);
  let glob: Glob;
  if (wildcard === -1) {
    glob = { pattern, exact: true, prefix: pattern, test: (key) => key === pattern };
  } else {
    const regExp = toRegExp(pattern, '[^]');
    glob = {
      pattern,
      exact: false,
      prefix: pattern.slice(0, wildcard),
      test: (key) => regExp.test(key),
    };
  }
  if (cache.size >= 10_000) cache.clear();
  cache.set(pattern, glob);
  return glob;
}

/** Whether `key` matches `pattern`. */
export function globMatches(pattern: string, key: string): boolean {
  return compileGlob(pattern).test(key);
}

const coverCache = new Map<string, RegExp>();

/**
 * Whether every key `pattern` can match is also matched by `scope`: true when `scope` matches the
 * pattern's own text with its `?` not standing for a wildcard. Sound, if conservative: `a*`
 * covers `a:*` and `a?c`, `a?` does not cover `a*`.
 */
export function globCovers(scope: string, pattern: string): boolean {
  let regExp = coverCache.get(scope);
  if (!regExp) {
    regExp = toRegExp(scope, '[^*?]');
    if (coverCache.size >= 10_000) coverCache.clear();
    coverCache.set(scope, regExp);
  }
  return regExp.test(pattern);
}

/**
 * Order patterns from the most specific: an exact key first, then more literal characters, then
 * fewer `*`, then by text so that the order is total.
 */
export function compareSpecificity(a: string, b: string): number {
  const stars = (p: string) => [...p].filter((c) => c === '*').length;
  const literal = (p: string) => [...p].filter((c) => c !== '*' && c !== '?').length;
  const exact = (p: string) => (/[*?]/u.test(p) ? 0 : 1);
  return (
    exact(b) - exact(a) ||
    literal(b) - literal(a) ||
    stars(a) - stars(b) ||
    (a < b ? -1 : a > b ? 1 : 0)
  );
}
