# syntax=docker/dockerfile:1.7
# The deployable Memnex servers, one image of the `memnex` command with a target per server.
# Build from the repository root:
#   docker build --target rest -t memnex-rest .
#   docker build --target mcp -t memnex-mcp .

FROM node:20-slim AS build
RUN npm i -g pnpm@10
WORKDIR /repo
# Dependencies first, from the lockfile alone, so source edits do not refetch them.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --frozen-lockfile --offline
RUN pnpm build --filter=@memnex/cli... --output-logs=errors-only
# A self-contained copy of the command with its production dependencies; workspace packages are
# copied in (their dist included), so the runtime image needs no workspace.
RUN pnpm deploy --filter=@memnex/cli --prod --legacy /out

FROM node:20-slim AS memnex
ENV NODE_ENV=production \
    MEMNEX_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /out ./
# `memnex` on the PATH, for one-shot commands: docker compose exec memnex memnex tenants create ...
RUN printf '#!/bin/sh\nexec node /app/bin/memnex.js "$@"\n' > /usr/local/bin/memnex \
    && chmod 755 /usr/local/bin/memnex \
    && mkdir -p /data && chown node:node /data
USER node
# Only used without MEMNEX_POSTGRES_URL: the embedded database of a single instance.
VOLUME ["/data"]
# The command handles SIGTERM itself: the server drains, then the storage closes and it exits 0.
STOPSIGNAL SIGTERM

FROM memnex AS mcp
EXPOSE 8500
CMD ["memnex", "serve", "mcp", "--transport", "streamable-http", "--host", "0.0.0.0", "--port", "8500"]

FROM memnex AS rest
EXPOSE 8000
# Liveness: the process serves HTTP. node:20-slim has no curl; Node 20 has fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8000/healthz').then((response) => process.exit(response.ok ? 0 : 1), () => process.exit(1))"]
CMD ["memnex", "serve", "rest", "--host", "0.0.0.0", "--port", "8000"]
