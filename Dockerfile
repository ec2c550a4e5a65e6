# syntax=docker/dockerfile:1
# Gatehouse: a multi-stage image. Build: docker build -t gatehouse .
# Run (SQLite in a volume):  docker run -p 8080:8080 -v gatehouse-data:/data gatehouse
# Run (PostgreSQL):          see compose.yaml

# --- build: compile TypeScript, build the native SQLite binding, then drop the dev dependencies ---
FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary for glibc x64/arm64; the toolchain is the fallback when none fits
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY sim ./sim
# `npm ci` runs the install scripts (the SQLite binding) and `prepare` (tsc → dist/)
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund \
 && npm cache clean --force

# --- runtime: node, the compiled code and the production dependencies; no compiler, no sources ---
FROM node:20-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_URL=sqlite:/data/gatehouse.db \
    LOG_LEVEL=info
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/bin ./bin
COPY --from=build /app/dist ./dist
# the image's own `node` user (uid 1000) runs Gatehouse; only /data is writable to it
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: finish in-flight requests and webhook attempts, flush counters, exit
STOPSIGNAL SIGTERM
CMD ["node", "bin/gatehouse.js", "serve"]
