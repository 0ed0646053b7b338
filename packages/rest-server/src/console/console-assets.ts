import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';

/** Content types of what the console's build holds. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** A file of the console's build, read once and kept. */
export interface ConsoleAsset {
  body: Uint8Array;
  type: string;
  /** Its name carries a content hash (`assets/index-3f9a1c.js`): it can be cached for ever. */
  immutable: boolean;
}

/** Shown when `@memnex/console` was not built (a source checkout before `pnpm build`). */
const MISSING_BUILD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8" /><title>Memnex console</title></head>
<body><main><h1>Memnex console</h1>
<p>The console's files are missing: run <code>pnpm build</code> and restart the server.</p>
</main></body></html>
`;

let root: string | null | undefined;
/** The build's files read so far; only files that exist, so made-up paths cannot grow it. */
const cache = new Map<string, Promise<ConsoleAsset | null>>();

/** The `dist` folder of the installed `@memnex/console`, or null when it is not installed. */
function distDirectory(): string | null {
  if (root !== undefined) return root;
  try {
    const manifest = createRequire(import.meta.url).resolve('@memnex/console/package.json');
    root = join(dirname(manifest), 'dist');
  } catch {
    root = null;
  }
  return root;
}

/**
 * A file of the console's build by its path under `/console/` (e.g. `assets/index-3f9a1c.js`),
 * or null when there is no such file. Paths that climb out of the build are never read.
 */
export function consoleAsset(path: string): Promise<ConsoleAsset | null> {
  const directory = distDirectory();
  const type = TYPES[extname(path).toLowerCase()];
  if (directory === null || type === undefined || path.includes('\0')) return Promise.resolve(null);
  const file = normalize(join(directory, path));
  if (!file.startsWith(directory + sep)) return Promise.resolve(null);
  let asset = cache.get(file);
  if (!asset) {
    asset = readFile(file).then(
      (body) => ({ body, type, immutable: path.startsWith('assets/') }),
      () => {
        cache.delete(file);
        return null;
      },
    );
    cache.set(file, asset);
  }
  return asset;
}

/**
 * The console's page, with a `<base>` naming the console's root (`/console/`, or under the
 * prefix the app is mounted at), so that its relative asset and API URLs resolve from any of
 * its own paths (`/console/people/...`).
 */
export async function consolePage(base: string): Promise<string> {
  const index = await consoleAsset('index.html');
  if (!index) return MISSING_BUILD_HTML;
  const html = new TextDecoder().decode(index.body);
  const escaped = base.replace(/[&"<>]/gu, (character) => `&#${character.charCodeAt(0)};`);
  return html.replace('<head>', `<head>\n    <base href="${escaped}" />`);
}
