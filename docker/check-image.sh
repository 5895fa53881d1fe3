#!/usr/bin/env bash
# Checks an image tarball built by Jib (OCI layout) without a container engine: unpacks its
# layers into a directory, checks the entrypoint's jar and the non-root user, then runs the
# entrypoint in a chroot as that user and waits until URL answers 200 (with URL "-", for a service
# that needs more than this machine offers, only checks that the image's JVM runs). Needs root
# (chroot, mount).
#   docker/check-image.sh workloads/message-router/target/jib-image.tar http://127.0.0.1:18081/health/live HTTP_PORT=18081 ...
set -euo pipefail
image=$(realpath "${1:?usage: check-image.sh IMAGE.tar URL [NAME=VALUE ...]}")
url=${2:?usage: check-image.sh IMAGE.tar URL [NAME=VALUE ...]}
shift 2
work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  umount "$work/rootfs/proc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/oci" "$work/rootfs"
tar -C "$work/oci" -xf "$image"
# the OCI layout: index -> manifest -> config and layers (in order)
python3 - "$work/oci" >"$work/plan" <<'PY'
import json, sys, os
root = sys.argv[1]
blob = lambda d: os.path.join(root, "blobs", *d.split(":"))
index = json.load(open(os.path.join(root, "index.json")))
manifest = json.load(open(blob(index["manifests"][0]["digest"])))
config = json.load(open(blob(manifest["config"]["digest"])))["config"]
print("USER", config.get("User", ""))
print("WORKDIR", config.get("WorkingDir", "/"))
print("ENTRYPOINT", "\x1f".join(config["Entrypoint"]))
for e in config.get("Env", []):
    print("ENV", e)
for layer in manifest["layers"]:
    print("LAYER", blob(layer["digest"]))
PY
while read -r kind value; do
  [ "$kind" = LAYER ] && tar --warning=no-unknown-keyword -C "$work/rootfs" -xzf "$value"
done <"$work/plan"
user=$(awk '$1=="USER"{print $2}' "$work/plan")
workdir=$(awk '$1=="WORKDIR"{print $2}' "$work/plan")
IFS=$'\x1f' read -r -a entrypoint < <(sed -n 's/^ENTRYPOINT //p' "$work/plan")
mapfile -t env < <(sed -n 's/^ENV //p' "$work/plan")
jar=${entrypoint[-1]}
[ -f "$work/rootfs$jar" ] || { echo "check-image: $jar is not in the image" >&2; exit 1; }
[ -n "$user" ] && [ "$user" != 0 ] && [ "$user" != root ] || { echo "check-image: the image runs as root" >&2; exit 1; }
echo "check-image: $(basename "$(dirname "$(dirname "$image")")"): entrypoint ${entrypoint[*]}, user $user"
# a container runtime mounts /proc; the JVM's launcher needs it
mkdir -p "$work/rootfs/proc"
mount -t proc proc "$work/rootfs/proc"
cd "$work/rootfs"
if [ "$url" = - ]; then
  env -i "${env[@]}" chroot --userspec="$user:$user" "$work/rootfs" "${entrypoint[0]}" -version 2>&1 | head -1
  echo "check-image: the image's JVM runs"
  exit 0
fi
env -i "${env[@]}" "$@" chroot --userspec="$user:$user" "$work/rootfs" /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "${entrypoint[@]}" \
  >"$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ]; then
    echo "check-image: $url answered 200"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 1
done
echo "check-image: $url did not answer 200; the process said:" >&2
tail -30 "$work/out.log" >&2
exit 1
