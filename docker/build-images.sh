#!/usr/bin/env bash
# Builds the OCI image tarballs of the four services and the operator with Jib (no Docker), on a
# base image made from Debian's packages when no registry is reachable, and checks each one by
# running it from its unpacked layers. Run after a build (./mvnw -B verify or package).
#   docker/build-images.sh            # base from debootstrap (needs root and Debian's mirrors)
#   MPC_IMAGE_BASE=eclipse-temurin:17-jre docker/build-images.sh   # base from a registry
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
base=${MPC_IMAGE_BASE:-}
if [ -z "$base" ]; then
  [ -s target/base-image.tar ] || docker/base-image.sh target/base-image.tar
  base=tar://$PWD/target/base-image.tar
fi
modules=workloads/session-coordinator,workloads/message-router,workloads/server-party,workloads/account-service,operator
./mvnw -B -q -Pimages verify -DskipTests -Dmpc.image.base="$base" -pl "$modules" -am

key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
# a party starts only with the account service's request-signing public key (base64 X.509
# Ed25519); any valid one serves for this check, and a public key is no secret
verify_key=MCowBQYDK2VwAyEAgxVK51RtE/dCmP+OsoLJPvpRNlh5MfqZP7DmPyGPObw=
docker/check-image.sh workloads/session-coordinator/target/jib-image.tar http://127.0.0.1:18180/health/live \
  HTTP_PORT=18180 GRPC_PORT=18151 MPC_MANAGEMENT_PORT=18280 MPC_DATABASE_PORT=1 MPC_REDIS_PORT=1
docker/check-image.sh workloads/message-router/target/jib-image.tar http://127.0.0.1:18181/health/live \
  HTTP_PORT=18181 GRPC_PORT=18152 MPC_MANAGEMENT_PORT=18281 MPC_REDIS_PORT=1
docker/check-image.sh workloads/server-party/target/jib-image.tar http://127.0.0.1:18182/health/live \
  HTTP_PORT=18182 MPC_MANAGEMENT_PORT=18282 PARTY_ID=image-check MPC_PARTY_IDS=image-check MPC_CRYPTO_MASTER_KEY="$key" \
  MPC_REQUEST_VERIFY_KEY="$verify_key" SESSION_COORDINATOR_ADDR=127.0.0.1:1 MESSAGE_ROUTER_ADDR=127.0.0.1:1
# the account service refuses to start without its database: its image's JVM is checked instead
docker/check-image.sh workloads/account-service/target/jib-image.tar -
docker/check-image.sh operator/target/jib-image.tar http://127.0.0.1:18190/health/live \
  MPC_OPERATOR_HTTP_PORT=18190 KUBERNETES_MASTER=https://127.0.0.1:1
ls -l workloads/*/target/jib-image.tar operator/target/jib-image.tar
