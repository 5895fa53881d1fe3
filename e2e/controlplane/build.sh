#!/usr/bin/env bash
# Builds the test-only control plane (kube-apiserver, kube-controller-manager, kube-scheduler,
# etcd, kwok, vault; with MPC_CONTROLPLANE_NODE=1 also kubelet, kube-proxy, CoreDNS and the pods'
# pause program and image) from the Go modules pinned beside this script, once: each program set is
# cached under a key of its go.mod, go.sum, tools.go, this script and the Go version, so a warm
# run costs seconds. Prints the directory holding every binary and the kwok stages (the value of
# MPC_CONTROLPLANE_BIN for the tests) as its last line; everything else goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${MPC_CONTROLPLANE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mpc-system/controlplane}"
mkdir -p "$cache"
export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
gover="$(go env GOVERSION)"

k8s_version=v1.36.3
k8s_ldflags="-s -w -X k8s.io/component-base/version.gitVersion=${k8s_version} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=36"

key_of() { # module directory -> cache key (a module with no dependencies has no go.sum)
  local f files=()
  for f in go.mod go.sum tools.go main.go; do [[ -f "$here/$1/$f" ]] && files+=("$here/$1/$f"); done
  cat "${files[@]}" "$here/build.sh" <(echo "$gover") | sha256sum | cut -c1-16
}

# build <module dir> <ldflags> <package>... : into $cache/<name>-<key>, unless it is there; the
# name is the module directory's unless $name says otherwise (extra `go build` flags, such as
# -modfile, come in $extra)
extra=()
name=
build() {
  local mod="$1" ldflags="$2"; shift 2
  local out="$cache/${name:-$mod}-$(key_of "$mod")"
  if [[ -f "$out/.complete" ]]; then
    echo "controlplane: $mod cached in $out" >&2
  else
    echo "controlplane: building $mod ($*)" >&2
    local start=$SECONDS tmp="$out.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    (cd "$here/$mod" && go build -trimpath -pgo=off ${extra[@]+"${extra[@]}"} -ldflags "$ldflags" -o "$tmp/" "$@") >&2
    # a main package at a module root named .../v3 builds as "server": give it its program's name
    if [[ "$mod" == etcd ]]; then mv "$tmp"/* "$tmp/etcd"; fi
    touch "$tmp/.complete"
    rm -rf "$out" && mv "$tmp" "$out"
    echo "controlplane: built $mod in $((SECONDS - start)) s" >&2
  fi
  built+=("$out")
}

built=()
build kubernetes "$k8s_ldflags" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler
build etcd "-s -w" go.etcd.io/etcd/server/v3
build kwok "-s -w" sigs.k8s.io/kwok/cmd/kwok
# a real node (MPC_CONTROLPLANE_NODE=1): kubelet, kube-proxy, the pods' sandbox program, the cluster DNS
if [[ "${MPC_CONTROLPLANE_NODE:-}" == 1 ]]; then
  name=node build kubernetes "$k8s_ldflags" k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy
  build pause "-s -w" .
  pause_dir="${built[-1]}"
  build coredns "-s -w" .
  # the sandbox image a docker-save tarball for containerd: one layer holding /pause
  if [[ ! -f "$pause_dir/pause.tar" ]]; then
    img="$(mktemp -d)" && mkdir -p "$img/root" && cp "$pause_dir/pause" "$img/root/pause"
    tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$img/root" -cf "$img/layer.tar" pause
    printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/pause"],"User":"65535:65535"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
      "$(sha256sum "$img/layer.tar" | cut -d' ' -f1)" >"$img/config.json"
    printf '[{"Config":"config.json","RepoTags":["mpc-system/pause:1"],"Layers":["layer.tar"]}]' >"$img/manifest.json"
    tar -C "$img" -cf "$pause_dir/pause.tar" manifest.json config.json layer.tar
    rm -rf "$img"
  fi
fi

# Vault v1.21.4 builds its sdk from its own tree, which is not published; the published sdk v0.21.0
# it requires differs in two signatures (ActivationFunc takes a third argument, RestorePolicy gives
# no key name back). A copy of the module with those three call sites adapted is built in its place
# (go build -modfile with one more replace line); the copy lives in the cache only, nothing of
# Vault is kept in this repository.
vault_adapt() { # file below the module, sed expression, text that must then be there
  sed -i "$2" "$dir/vault/$1"
  grep -qF "$3" "$dir/vault/$1" || { echo "controlplane: the vault adaptation of $1 no longer applies" >&2; return 1; }
}
vault_patched() {
  local src
  dir="$1"
  # on a cold module cache `go list -m` names no directory until the module is downloaded
  src="$(cd "$here/vault" && go mod download github.com/hashicorp/vault && go list -m -f '{{.Dir}}' github.com/hashicorp/vault)"
  [ -n "$src" ] && [ -d "$src" ] || { echo "controlplane: github.com/hashicorp/vault is not in the module cache" >&2; return 1; }
  rm -rf "$dir" && mkdir -p "$dir" && cp -r "$src" "$dir/vault" && chmod -R u+w "$dir/vault"
  vault_adapt vault/identity_store.go \
    's/ActivationFunc: iStore.activateDeduplication,/ActivationFunc: func(ctx context.Context, req *logical.Request, _ string) error { return iStore.activateDeduplication(ctx, req) },/' \
    '_ string) error { return iStore'
  vault_adapt vault/logical_system_activation_flags.go 's/b.idStoreBackend.ActivationFunc(ctx, nil)/b.idStoreBackend.ActivationFunc(ctx, nil, "")/' \
    'ActivationFunc(ctx, nil, "")'
  vault_adapt builtin/logical/transit/path_restore.go 's/restoredKeyName, err := b.lm.RestorePolicy(/restoredKeyName, err := keyName, b.lm.RestorePolicy(/' \
    'restoredKeyName, err := keyName, b.lm.RestorePolicy('
  { cat "$here/vault/go.mod"; echo "replace github.com/hashicorp/vault => $dir/vault"; } > "$dir/build.mod"
  cp "$here/vault/go.sum" "$dir/build.sum"
}
if [[ ! -f "$cache/vault-$(key_of vault)/.complete" ]]; then
  vault_patched "$cache/vault-src"
  extra=(-modfile "$cache/vault-src/build.mod")
fi
build vault "-s -w" github.com/hashicorp/vault
extra=()
rm -rf "$cache/vault-src"

# kwok's behaviour: node-initialize, heartbeat with lease, pod ready/complete/delete, from the module itself
stages="$cache/kwok-stages-$(key_of kwok)"
if [[ ! -f "$stages/.complete" ]]; then
  src="$(cd "$here/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/stage"
  rm -rf "$stages" && mkdir -p "$stages"
  cp "$src/node/fast/node-initialize.yaml" "$src/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
     "$src/pod/fast/pod-ready.yaml" "$src/pod/fast/pod-complete.yaml" "$src/pod/fast/pod-delete.yaml" "$stages/"
  chmod u+w "$stages"/*.yaml
  touch "$stages/.complete"
fi

# one directory naming this exact set, so that concurrent runs of other sets do not disturb it
set_dir="$cache/set-$(printf '%s\n' "${built[@]}" "$stages" | sha256sum | cut -c1-16)"
if [[ ! -d "$set_dir" ]]; then
  tmp="$set_dir.tmp.$$" && rm -rf "$tmp" && mkdir -p "$tmp/stages"
  for d in "${built[@]}"; do for f in "$d"/*; do ln -s "$f" "$tmp/$(basename "$f")"; done; done
  for f in "$stages"/*.yaml; do ln -s "$f" "$tmp/stages/$(basename "$f")"; done
  mv "$tmp" "$set_dir"
fi
# what an older go.mod built is of no further use: keep this set only (MPC_CONTROLPLANE_KEEP=1 keeps all)
if [[ "${MPC_CONTROLPLANE_KEEP:-}" != 1 ]]; then
  keep=" $set_dir $stages ${built[*]} "
  for d in "$cache"/*; do
    [[ -d "$d" && "$keep" != *" $d "* && "$d" != *.tmp.* ]] && rm -rf "$d"
  done
fi
echo "$set_dir"
