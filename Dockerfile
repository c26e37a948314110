# syntax=docker/dockerfile:1
# govreport: one static binary (fonts and templates embedded) on distroless.
#   docker build --build-arg VERSION=$(git describe --tags --always) -t govreport .
#   docker run --rm -p 8080:8080 --read-only govreport
# Multi-arch (BuildKit): the build stage runs on the builder's platform and
# cross-compiles (no cgo, so no emulation), the run stage is the target's:
#   docker buildx build --platform linux/amd64,linux/arm64 -t govreport .
# distroless/static has no linux/loong64 image; for LoongArch machines copy the
# binary (GOOS=linux GOARCH=loong64 CGO_ENABLED=0 go build ./cmd/govreport).
# The run stage has no shell, no package manager and no writable path the
# service needs; it runs as distroless's nonroot user (65532).

# Build: the official Go image at the project's Go version (go version), on
# the platform of the machine that builds, for the platform asked for.
FROM --platform=$BUILDPLATFORM golang:1.26.8-bookworm AS build
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
ENV CGO_ENABLED=0 GOFLAGS=-buildvcs=false
# Modules first, so the layer is cached until go.mod or go.sum change; the
# only download of the build.
COPY go.mod go.sum ./
RUN go mod download && go mod verify
COPY . .
ARG VERSION=dev
# -tags server: the image's binary has the HTTP server (serve), which the
# command built without the tag leaves out (README, "Install").
RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -tags server -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/govreport ./cmd/govreport

# Run: no libc, no shell; the image's user is nonroot.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/govreport /govreport
USER 65532:65532
EXPOSE 8080
ENV GOVREPORT_ADDR=:8080
# Exec form: there is no shell. The command GETs /healthz on GOVREPORT_ADDR's
# port (2 s timeout) and exits 0 on 200.
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 CMD ["/govreport", "healthcheck"]
ENTRYPOINT ["/govreport"]
CMD ["serve"]
