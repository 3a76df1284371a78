# Dockerfile - vigil in a container, built from Debian bookworm packages.
#
# Both stages start FROM debian:bookworm-slim; where no registry can be
# reached, deploy/docker/build-base.sh makes that image locally with
# debootstrap. deploy/docker/build.sh builds this file as vigil:latest;
# docs/deployment.md gives the `docker run` line (vigil needs the host's
# pid namespace, cgroups and BTF, and a few capabilities).
#
# The layers are ordered so that a change to the sources rebuilds only
# the compile step, and a change to the docs, tests or deploy scripts
# rebuilds nothing (.dockerignore keeps them out of the context).

# --- builder: the build dependencies and one compile of vigil ---
FROM debian:bookworm-slim AS builder
# build.sh tags this stage vigil-builder and removes its untagged
# predecessors by this label.
LABEL org.vigil.stage=builder
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      build-essential cmake pkg-config clang llvm libbpf-dev bpftool \
      libelf-dev zlib1g-dev nlohmann-json3-dev libspdlog-dev libfmt-dev \
      libyaml-cpp-dev libre2-dev libcli11-dev libcurl4-openssl-dev \
      libcpp-httplib-dev \
 && rm -rf /var/lib/apt/lists/*
ARG VIGIL_JOBS=2
WORKDIR /src
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY bpf/ bpf/
COPY bench/ bench/
COPY rules/ rules/
COPY config/ config/
COPY deploy/CMakeLists.txt deploy/
COPY deploy/debian/ deploy/debian/
COPY userspace/ userspace/
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF \
      -DCMAKE_INSTALL_PREFIX=/usr \
 && cmake --build build -j"$VIGIL_JOBS" --target vigil
# The unit is only installed (into /stage, not into the image): a change
# to it must not compile again.
COPY deploy/systemd/ deploy/systemd/
RUN DESTDIR=/stage cmake --install build --strip

# --- runtime: vigil and the shared libraries it links, nothing else ---
FROM debian:bookworm-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libbpf1 libelf1 zlib1g libspdlog1.10 libfmt9 libyaml-cpp0.7 libcurl4 \
      libcpp-httplib0.11 libre2-9 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=builder /stage/usr/bin/vigil /usr/bin/vigil
COPY --from=builder /stage/usr/share/vigil/ /usr/share/vigil/
COPY --from=builder /stage/etc/vigil/ /etc/vigil/
# vigil reads the process table from /proc: run it with --pid=host, so
# that this container's /proc is the host's.
ENTRYPOINT ["/usr/bin/vigil"]
CMD ["--config", "/etc/vigil/vigil.yaml"]
