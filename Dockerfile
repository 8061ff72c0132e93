# The dynamask image: the CLI and the worker. Node 24 runs the TypeScript
# sources directly (type stripping), so there is no build step.
#   docker build -t dynamask .
#   docker run --rm -e TEMPORAL_ADDRESS=temporal:7233 dynamask worker
FROM node:24-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so a source change does not reinstall them. The native
# ones (isolated-vm, the Temporal core bridge, swc) ship prebuilt binaries
# for linux-x64 and linux-arm64 glibc, so no compiler is needed.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

# Bundling the workflows at worker start writes nothing to disk, so the
# worker runs as the unprivileged user.
USER node
# 8 MB semi-spaces: V8 would grow the young generation to 128 MB, which a
# copy's short-lived page objects fill and keep resident (README, Worker
# memory). The worker limits its old generation's growth itself
# (DYNAMASK_HEAP_GROWING_PERCENT), as NODE_OPTIONS cannot.
ENTRYPOINT ["node", "--max-semi-space-size=8", "src/cli/main.ts"]
CMD ["worker"]
