#!/usr/bin/env bash
# Runs the plugin for real on the throwaway service project in src/it/power-meter: generate, compile,
# image, push to the registry (mvn deploy); then again, to show the stubs survive a rebuild.
# CI runs the same path through NewServiceIT (failsafe, install phase); this script is for by hand.
# Needs: the plugin, sdk and wire installed in ~/.m2; the registry with the base image on
# ${DEFPI_REGISTRY:-127.0.0.1:5000}; JAVA_HOME pointing at a JDK 21+.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
registry=${DEFPI_REGISTRY:-127.0.0.1:5000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/power-meter" "$work/"
project="$work/power-meter"
mvn() { "$root/mvnw" -B -q -f "$project/pom.xml" -Ddefpi.registry="$registry" "$@"; }

mvn deploy
service="$project/src/main/java/org/defpi/it/powermeter/PowerMeterService.java"
test -f "$project/target/generated-sources/defpi/org/defpi/it/powermeter/PowerMeterMain.java"
tags=$(curl -fsS "http://$registry/v2/services/defpi-plugin-it-power-meter/tags/list")
grep -q '"1.2.0"' <<<"$tags" && grep -q '"latest"' <<<"$tags"
# with the default base image: a manifest list of linux/amd64 and linux/arm64, and the -arm tags
if curl -fsS -H 'Accept: application/vnd.docker.distribution.manifest.list.v2+json' \
  "http://$registry/v2/services/defpi-plugin-it-power-meter/manifests/1.2.0" | grep -q '"arm64"'; then
  grep -q '"1.2.0-arm"' <<<"$tags" && grep -q '"latest-arm"' <<<"$tags"
fi

echo "// kept across builds" >>"$service"
mvn install -Ddefpi.image.skip
grep -q '// kept across builds' "$service"
echo "src/it power-meter: 1 passed, 0 failed"
