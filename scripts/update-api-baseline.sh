#!/usr/bin/env bash
# Freezes the public API that japicmp compares with: builds the published jars of this commit and
# copies them to api-baseline/ under the baseline version (japicmp.baseline.version in pom.xml).
# Run it only when a release is cut (see CONTRIBUTING.md, "API compatibility"), then commit the jars.
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(sed -n 's:.*<japicmp.baseline.version>\(.*\)</japicmp.baseline.version>.*:\1:p' pom.xml)
modules=(live-client live-client-audio live-client-testkit live-client-micrometer live-client-opentelemetry live-client-spring-boot-starter)
mvn -B -q package -DskipTests -Djapicmp.skip=true -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -pl "$(IFS=,; echo "${modules[*]}")" -am "$@"
mkdir -p api-baseline
for m in "${modules[@]}"; do
  cp "$m/target/$m-"*-SNAPSHOT.jar "api-baseline/$m-$version.jar" 2>/dev/null \
    || cp "$m/target/$m-"[0-9]*.jar "api-baseline/$m-$version.jar"
  echo "api-baseline/$m-$version.jar"
done
