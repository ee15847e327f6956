# The tsstream image: the CLI (tsstream run / sql / jobs / validate) on Node 20.
#   docker build -t tsstream:local .
#   docker run --rm -it tsstream:local sql
FROM node:20-slim AS build
WORKDIR /opt/tsstream
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bin ./bin
COPY scripts/bundle.mjs scripts/code-cache.mjs ./scripts/
# A failed build fails the image (no `|| true`): the CLI entry point must come from a clean build.
# `npm run build` is tsc and then the bundle (scripts/bundle.mjs, esbuild: a dev dependency, so
# before the prune): bin/tsstream.js runs dist/cli/tsstream.cjs (one script instead of ~160
# modules) with the V8 code cache made here by this image's Node, as do the parallel workers
# (dist/cli/tsstream-worker.js).
RUN npm run build && test -f dist/cli/main.js && test -f dist/cli/tsstream.cjs && test -f dist/cli/tsstream-worker.js \
 && test -f dist/cli/tsstream.max-semi-space-size=32.cache \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim
WORKDIR /opt/tsstream
ENV NODE_ENV=production \
    TSSTREAM_HOME=/root/.tsstream
COPY --from=build /opt/tsstream/node_modules ./node_modules
COPY --from=build /opt/tsstream/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY queries ./queries
COPY docker ./docker
RUN chmod +x bin/tsstream.js docker/sql-client.sh \
 && ln -s /opt/tsstream/bin/tsstream.js /usr/local/bin/tsstream \
 && mkdir -p /data
ENTRYPOINT ["tsstream"]
CMD ["--help"]
