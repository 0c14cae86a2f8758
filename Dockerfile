# venice-e2ee-proxy container image: `podman build --format docker -t venice-e2ee-proxy .` or
# `docker build -t venice-e2ee-proxy .` from a clean clone. Two stages: the build (Debian 12 with the
# toolchain) and the runtime (Debian 12 slim with only the shared libraries the binaries link).
#
# Runs like the reference image: port 8080, /etc/venice-e2ee-proxy/config.toml (config/default.toml
# with the container edits of cmake/Packaging.cmake), every key overridable by
# VENICE_E2EE_PROXY__SECTION__KEY variables, non-root. Unlike the reference it requires client
# keys on its 0.0.0.0 listener: mount the keys volume at /var/lib/venice-e2ee-proxy/keys (see
# docs/operator-guide.md, "Run the container image"). Extra plugins: the volume
# /var/lib/venice-e2ee-proxy/plugins. The root file system can be read-only. SIGTERM drains open
# streams for server.shutdown_grace (10s): give `docker stop` / `podman stop` a longer timeout.
ARG DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim

FROM ${DEBIAN_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config dpkg-dev \
      libpoco-dev libssl-dev libboost-dev libboost-filesystem-dev libtomlplusplus-dev libsecp256k1-dev \
 && rm -rf /var/lib/apt/lists/*
# Only what the proxy's build reads, so edits elsewhere (docs, tests, deploy) keep the cached build.
# sim/ without its sources: venice-sim is then not configured (it is not in the image).
COPY CMakeLists.txt LICENSE /src/
COPY cmake /src/cmake
COPY config /src/config
COPY packaging /src/packaging
COPY sdk /src/sdk
COPY host /src/host
COPY plugins /src/plugins
COPY sim/CMakeLists.txt /src/sim/
# The proxy and the plugins config/default.toml loads.
RUN cmake -S /src -B /build -DCMAKE_BUILD_TYPE=Release -DVEP_BUILD_TESTS=OFF \
 && cmake --build /build -j "$(nproc)" --target venice-e2ee-proxy \
      e2ee-secp256k1 e2ee-openssl attestation-envelope attestation-tdx-dcap attestation-nvidia-evidence \
      tools-hermes tools-qwen-xml tools-glm-xml
# The runtime's files under /stage/image, stripped; the container config made by cmake/Packaging.cmake.
RUN install -d /stage/image/usr/bin /stage/image/usr/lib/venice-e2ee-proxy/plugins \
      /stage/image/etc/venice-e2ee-proxy /stage/image/usr/share/doc/venice-e2ee-proxy \
 && install -s -m 0755 /build/bin/venice-e2ee-proxy /stage/image/usr/bin/ \
 && install -s -m 0644 /build/lib/venice-e2ee-proxy/plugins/*.so /stage/image/usr/lib/venice-e2ee-proxy/plugins/ \
 && install -m 0644 /build/packaging/container-config.toml /stage/image/etc/venice-e2ee-proxy/config.toml \
 && install -m 0644 /src/LICENSE /stage/image/usr/share/doc/venice-e2ee-proxy/LICENSE
# The Debian packages holding the shared libraries the binaries need, for the runtime stage.
RUN mkdir -p /deps/debian && touch /deps/debian/control && cd /deps \
 && dpkg-shlibdeps -O /stage/image/usr/bin/venice-e2ee-proxy /stage/image/usr/lib/venice-e2ee-proxy/plugins/*.so \
      >/deps/shlibs \
 && sed -e 's/^shlibs:Depends=//' -e 's/([^)]*)//g' -e 's/,/\n/g' /deps/shlibs | tr -d ' ' | sort -u >/stage/runtime-packages \
 && test -s /stage/runtime-packages && cat /stage/runtime-packages

FROM ${DEBIAN_IMAGE}
COPY --from=build /stage/runtime-packages /tmp/runtime-packages
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates $(cat /tmp/runtime-packages) \
 && rm -rf /var/lib/apt/lists/* /tmp/runtime-packages \
 && groupadd --system --gid 10001 venice-e2ee-proxy \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/venice-e2ee-proxy --no-create-home \
      --shell /usr/sbin/nologin venice-e2ee-proxy \
 && install -d -o 10001 -g 10001 -m 0750 /var/lib/venice-e2ee-proxy /var/lib/venice-e2ee-proxy/keys \
      /var/lib/venice-e2ee-proxy/plugins
COPY --from=build /stage/image/ /
USER 10001:10001
WORKDIR /var/lib/venice-e2ee-proxy
VOLUME ["/var/lib/venice-e2ee-proxy/plugins"]
EXPOSE 8080
# /healthz over plain HTTP on the configured port (200 serving, 503 draining); bash's /dev/tcp, so
# the image needs no HTTP client. With server.tls_cert set, override it (--health-cmd).
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${VENICE_E2EE_PROXY__SERVER__PORT:-8080} && printf 'GET /healthz HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' >&3 && read -r -t 2 status <&3 && [[ $status == *' 200 '* ]]"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/venice-e2ee-proxy"]
CMD ["/etc/venice-e2ee-proxy/config.toml"]
