# imglint in a container: `docker build -t imglint .` then, from the directory to check,
#   docker run --rm -v "$PWD:/work" imglint check --offline --manifest imglint.yaml
# AWS credentials come in as usual (-e AWS_ACCESS_KEY_ID ..., or -v ~/.aws:/home/node/.aws:ro).
# Not built by the tests (no Docker daemon where they run); its lines follow hadolint's rules, checked by
# test/cli/ci-integrations.test.ts.

# Build stage: the package tarball, exactly as `npm pack` makes it for a registry.
FROM node:20-alpine AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN npm run build && npm pack --ignore-scripts --pack-destination /tmp/pack

# Runtime stage: Node and the installed package only (the AWS SDK included, for live checks).
FROM node:20-alpine
COPY --from=build /tmp/pack/ /tmp/pack/
RUN npm install --global --no-audit --no-fund /tmp/pack/imglint-0.1.0.tgz \
  && rm -rf /tmp/pack \
  && npm cache clean --force
# The official image's unprivileged user (uid 1000); mount the files to check at /work.
USER node
WORKDIR /work
ENV NO_UPDATE_NOTIFIER=1
ENTRYPOINT ["imglint"]
CMD ["--help"]
