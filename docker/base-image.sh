#!/usr/bin/env bash
# Builds the images' base (Debian bookworm, minimal, with OpenJDK 17 JRE headless and CA
# certificates) from Debian's packages with debootstrap, as a docker-save tarball that Jib reads
# with tar://. For machines that reach Debian's mirrors but no container registry; elsewhere the
# default base (eclipse-temurin:17-jre) comes from the registry. Needs root (debootstrap).
#   docker/base-image.sh target/base-image.tar
#   ./mvnw -B -Pimages verify -DskipTests -Dmpc.image.base=tar://$PWD/target/base-image.tar
# Other images from Debian's packages (docker/infra-image.sh) set MPC_BASE_PACKAGES, MPC_BASE_TAG
# and MPC_BASE_OVERLAY (a directory copied over the root file system).
set -euo pipefail
out=$(realpath -m "${1:?usage: base-image.sh OUT.tar}")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages=${MPC_BASE_PACKAGES:-openjdk-17-jre-headless,ca-certificates}
tag=${MPC_BASE_TAG:-mpc-system/base:bookworm-jre17}
command -v debootstrap >/dev/null || { echo "base-image.sh: debootstrap is missing (apt-get install debootstrap)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
# a mirror that hiccups once should not fail the build: up to three attempts, each from scratch
for attempt in 1 2 3; do
  rm -rf "$rootfs"
  if debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
    break
  fi
  echo "base-image.sh: debootstrap attempt $attempt failed" >&2
  tail -5 "$work/debootstrap.log" >&2
  [ "$attempt" = 3 ] && exit 1
  sleep 10
done
# what a runtime image does not need
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
  "$rootfs"/usr/share/locale/* "$rootfs"/var/log/* "$rootfs"/debootstrap
mkdir -p "$rootfs/deployments" "$rootfs/data/keyshares"
chown 10001:10001 "$rootfs/deployments" "$rootfs/data" "$rootfs/data/keyshares"
[ -z "${MPC_BASE_OVERLAY:-}" ] || cp -a "$MPC_BASE_OVERLAY"/. "$rootfs"/
mkdir -p "$work/image"
tar --numeric-owner --xattrs -C "$rootfs" -cf "$work/image/layer.tar" .
layer_sha=$(sha256sum "$work/image/layer.tar" | cut -d' ' -f1)
cat >"$work/image/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64","LANG=C.UTF-8"],"WorkingDir":"/deployments"},"rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},"history":[{"created_by":"docker/base-image.sh: debootstrap bookworm minbase + $packages"}]}
JSON
cat >"$work/image/manifest.json" <<JSON
[{"Config":"config.json","RepoTags":["$tag"],"Layers":["layer.tar"]}]
JSON
mkdir -p "$(dirname "$out")"
tar -C "$work/image" -cf "$out" manifest.json config.json layer.tar
echo "base image: $out ($(du -h "$out" | cut -f1))"
