import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The assets of the docs page, served from the installed swagger-ui-dist: no CDN, works offline. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css; charset=utf-8' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript; charset=utf-8' },
  'favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
};

/** The page's own start-up script; a file rather than inline, so a strict CSP can allow it. */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: new URL('openapi.json', window.location.href).href,
    dom_id: '#memnex-api',
    deepLinking: true,
    persistAuthorization: false,
    tryItOutEnabled: false,
    // The public validator badge would call validator.swagger.io: the page stays offline.
    validatorUrl: null,
  });
});
`;

/** The docs page; asset URLs are relative, so it works behind a path prefix too. */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Memnex API</title>
    <link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png" />
    <link rel="stylesheet" href="docs/assets/swagger-ui.css" />
  </head>
  <body>
    <div id="memnex-api"></div>
    <script src="docs/assets/swagger-ui-bundle.js"></script>
    <script src="docs/assets/init.js"></script>
  </body>
</html>
`;

let assetDirectory: string | undefined;
const loaded = new Map<string, Promise<Uint8Array>>();

/** An asset of the docs page, or null when there is no such asset. */
export async function docsAsset(
  name: string,
): Promise<{ body: Uint8Array | string; type: string } | null> {
  if (name === 'init.js') return { body: INIT_SCRIPT, type: 'text/javascript; charset=utf-8' };
  const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!asset) return null;
  assetDirectory ??= dirname(
    createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'),
  );
  let body = loaded.get(name);
  if (!body) {
    body = readFile(join(assetDirectory, asset.file));
    loaded.set(name, body);
    body.catch(() => loaded.delete(name));
  }
  return { body: await body, type: asset.type };
}
