# syntax=docker/dockerfile:1
# The API (and relay) as a production image: compiled once, production dependencies only, run as a non-root user.
# Production needs DATABASE_URL, APP_DB_PASSWORD and JWT_SECRET (see docker-compose.yml and README).

FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY libs libs
COPY src src
COPY migrations migrations
COPY bench bench
RUN npm run build

FROM node:20.19-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# No dev dependencies, and no embedded PostgreSQL binaries (optional): production always has DATABASE_URL.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM node:20.19-bookworm-slim
ENV NODE_ENV=production PORT=3000
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/dist dist
COPY --chown=node:node package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1 receives SIGTERM directly: the orderly shutdown runs (no npm in between to swallow it).
CMD ["node", "dist/src/main.js"]
