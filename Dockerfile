# syntax=docker/dockerfile:1

# Greenroom: the express front server + Payload + the Next admin panel, in one image.
#
#   docker build -t greenroom .
#   docker run --rm -p 3000:3000 -e PAYLOAD_SECRET="$(openssl rand -hex 32)" \
#     -v greenroom-data:/app/data -v greenroom-media:/app/media greenroom
#
# With no DATABASE_URI it uses SQLite in the /app/data volume; docker-compose.yml runs it on MongoDB.

# bookworm (glibc), not alpine: sharp, @libsql and Next's SWC install as prebuilt linux-gnu binaries
# from the lockfile, so nothing is compiled and no build toolchain is needed in any stage.
FROM node:20-bookworm-slim AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 \
    npm_config_audit=false \
    npm_config_fund=false \
    npm_config_update_notifier=false

# ---- deps: the full tree, because `next build` needs the dev tooling (typescript and @types).
FROM base AS deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,id=greenroom-npm,target=/root/.npm \
    npm ci

# ---- build: the production build of the admin panel (.next/).
FROM base AS build
COPY --from=deps /app/node_modules ./node_modules
# Only the build inputs (those scripts/lib/build.mjs stamps, and the build script itself), so
# editing tests or docs does not invalidate this slow layer.
COPY package.json package-lock.json tsconfig.json next.config.mjs payload.config.ts ./
COPY scripts ./scripts
COPY src ./src
# `npm run build` is `next build` plus the stamp of the sources it was built from. No PAYLOAD_SECRET
# or database here: src/env.ts gives `next build` a placeholder secret, and the build only
# evaluates the config, it never connects. Next's own cache lives in a cache mount so it speeds up
# rebuilds without ending up in the image.
RUN --mount=type=cache,id=greenroom-next,target=/app/.next/cache \
    npm run build

# ---- prod-deps: what the server imports at run time. tsx, next, payload, sharp and the database
# adapters are all `dependencies`, so --omit=dev drops only jest, swc, autocannon and the like.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,id=greenroom-npm,target=/root/.npm \
    npm ci --omit=dev

# ---- runtime
FROM base AS runtime

# The demo seed draws its captions as SVG text through sharp, which needs fontconfig's config and a
# font; the slim image has neither, so the captions would come out as empty boxes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fontconfig-config fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    MEDIA_DIR=/app/media

COPY --from=prod-deps /app/node_modules ./node_modules
# The server runs as the compiled bundle dist/server.mjs (made by `npm run build`). The sources,
# tsconfig.json and scripts/ come along for `docker compose exec app npm run seed` and the Payload
# CLI (migrations), which run TypeScript through tsx; package.json makes them ES modules. All come
# from the build stage, so the code served is exactly the code the admin panel was built from.
COPY --from=build /app/package.json /app/package-lock.json /app/tsconfig.json /app/next.config.mjs /app/payload.config.ts ./
COPY --from=build /app/src ./src
COPY --from=build /app/scripts ./scripts
COPY --from=build /app/dist ./dist
# Code stays root-owned (the app cannot rewrite itself); only Next's runtime cache is writable.
# .next/node_modules holds relative symlinks into /app/node_modules, which COPY keeps as links.
COPY --from=build /app/.next ./.next

# The SQLite default (file:./data/greenroom.db from WORKDIR /app) and uploads must outlive the
# container. Created here and owned by `node` so that new named volumes start out writable by it.
RUN mkdir -p /app/data /app/media /app/.next/cache \
    && chown node:node /app/data /app/media /app/.next/cache
VOLUME ["/app/data", "/app/media"]

USER node
EXPOSE 3000

# Liveness only (/healthz never touches the database; /readyz does). node, because the slim image
# has no curl or wget. The start period covers migrations, the first-run demo seed and Next's start.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# The server drains open requests on SIGTERM (SHUTDOWN_GRACE_MS, 10 s by default) before closing
# the database; give `docker stop` a longer timeout than that (compose: stop_grace_period).
STOPSIGNAL SIGTERM
# node directly, not `npm start`: npm would sit in between as PID 1 and not pass SIGTERM on
# reliably, and start.mjs's fallback of writing a generated secret to .env cannot work in a
# read-only /app (a container gets PAYLOAD_SECRET from its environment, or refuses to start).
# preload-lexical.mjs: see the comment in that file (a Node 20 module-loading deadlock).
CMD ["node", "--max-semi-space-size=64", "--enable-source-maps", "--import", "./scripts/preload-lexical.mjs", "dist/server.mjs"]
