# syntax=docker/dockerfile:1
# One Dockerfile, two images:
#   docker build --target api -t algodatta-api .
#   docker build --target web -t algodatta-web .
# Both install from the lockfile (npm ci), build in a throwaway stage, and ship production dependencies only,
# running as the unprivileged `node` user (uid 1000) of the official image.
ARG NODE_IMAGE=node:20.20-bookworm-slim

# Manifests first: the dependency layers are rebuilt only when a package.json or the lockfile changes
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY web/package.json web/
COPY plugins/broker-sdk/package.json plugins/broker-sdk/
COPY plugins/broker-sdk/conformance/package.json plugins/broker-sdk/conformance/
COPY plugins/broker-paper/package.json plugins/broker-paper/
COPY plugins/broker-dhan/package.json plugins/broker-dhan/

FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM manifests AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Shared runtime: production node_modules (workspace links point at the plugin folders copied below)
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=prod-deps --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/plugins/broker-sdk/package.json plugins/broker-sdk/
COPY --from=build --chown=node:node /app/plugins/broker-sdk/dist plugins/broker-sdk/dist
COPY --from=build --chown=node:node /app/plugins/broker-paper/package.json plugins/broker-paper/
COPY --from=build --chown=node:node /app/plugins/broker-paper/dist plugins/broker-paper/dist
COPY --from=build --chown=node:node /app/plugins/broker-dhan/package.json plugins/broker-dhan/
COPY --from=build --chown=node:node /app/plugins/broker-dhan/dist plugins/broker-dhan/dist

FROM runtime AS api
COPY --from=build --chown=node:node /app/api/package.json api/
COPY --from=build --chown=node:node /app/api/dist api/dist
# The embedded PostgreSQL (DATABASE_URL unset) keeps its data here; compose sets DATABASE_URL instead
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
ENV PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations run on start; `node api/dist/db/migrate.js` (npm run migrate) applies them alone
CMD ["node", "api/dist/main.js"]

FROM runtime AS web
COPY --from=build --chown=node:node /app/web/package.json web/
COPY --from=build --chown=node:node /app/web/server web/server
COPY --from=build --chown=node:node /app/web/build web/build
USER node
ENV WEB_PORT=3000
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.WEB_PORT||3000)+'/',{redirect:'manual'}).then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))"
CMD ["node", "web/server/start.js"]
