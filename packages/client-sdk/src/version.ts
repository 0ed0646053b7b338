/** Version of `@memnex/client`, sent in `x-memnex-client` so a server can tell client releases apart. */
export const CLIENT_VERSION = '0.1.0';
