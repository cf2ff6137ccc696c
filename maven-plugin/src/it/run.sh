#!/usr/bin/env bash
# Runs the plugin for real on the throwaway service project in src/it/power-meter: generate, compile,
# image, push to the registry; then again, to show the stubs survive a rebuild.
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

mvn install
service="$project/src/main/java/org/defpi/it/powermeter/PowerMeterService.java"
test -f "$project/target/generated-sources/defpi/org/defpi/it/powermeter/PowerMeterMain.java"
tags=$(curl -fsS "http://$registry/v2/services/defpi-plugin-it-power-meter/tags/list")
grep -q '"1.2.0"' <<<"$tags" && grep -q '"latest"' <<<"$tags"

echo "// kept across builds" >>"$service"
mvn install -Ddefpi.image.skip
grep -q '// kept across builds' "$service"
echo "src/it power-meter: 1 passed, 0 failed"
