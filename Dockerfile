# syntax=docker/dockerfile:1
#
# ecs-chatops: the Slack bot (`serve`) and the CLI in one image.
#   docker build -t ecs-chatops .
#   docker run --rm -v ecs-chatops-data:/data -e SLACK_BOT_TOKEN -e SLACK_APP_TOKEN ecs-chatops
# Tokens and AWS credentials come from the environment (or ECS `secrets`) at run time; none are baked in.

# Node 22 (LTS) in both stages; CI (.ci/run) runs the test suite on the same major. Not 24 yet:
# from 24.19 on, Node aborts when it collects a better-sqlite3 12.x statement, and 13.x, which
# fixes that, no longer runs on Node 20.

# ---- build: dev dependencies, TypeScript, the native SQLite module ----
FROM node:22-bookworm-slim AS build

# better-sqlite3 compiles from source (node-gyp) when no prebuilt binary fits this platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The lock file alone decides the dependency layer, so source edits reuse it.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compile, then drop dev dependencies in place: the compiled better-sqlite3 binary stays.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- run: production dependencies only, unprivileged ----
FROM node:22-bookworm-slim

LABEL org.opencontainers.image.title="ecs-chatops" \
      org.opencontainers.image.description="Slack ChatOps bot and CLI that deploys AWS ECS services safely" \
      org.opencontainers.image.licenses="MIT"

ENV NODE_ENV=production \
    ECS_CHATOPS_DB=/data/ecs-chatops.db \
    PORT=3000

WORKDIR /app
# Code stays owned by root: the bot cannot rewrite itself.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY bin ./bin
COPY manifest.yml ./manifest.yml

# /data holds the SQLite file and, being the working directory, the relative `reportsDir`
# and the default `./ecs-chatops.yml`. Owned by `node` before VOLUME so new volumes inherit it.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
WORKDIR /data

USER node
EXPOSE 3000

# Node itself (no curl in slim). PORT is read inside, so `-e PORT=…` needs no rebuild.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# SIGTERM lets changes in flight reach a safe point (20 s or more): give `docker stop` -t 45.
ENTRYPOINT ["node", "/app/bin/ecs-chatops.js"]
CMD ["serve"]
