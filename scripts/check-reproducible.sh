#!/usr/bin/env bash
# Builds the committed HEAD twice, in two fresh directories, and compares every published archive
# (jars, sources, javadoc, POMs) byte for byte. Exits non-zero when any differs.
# Usage: scripts/check-reproducible.sh [extra mvn args, e.g. -o]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for n in 1 2; do
  mkdir -p "$work/$n"
  git archive HEAD | tar -x -C "$work/$n"
  (cd "$work/$n" && mvn -B -q package -DskipTests -Djapicmp.skip=true "$@" \
     -pl bom,live-client,live-client-audio,live-client-testkit,live-client-micrometer,live-client-opentelemetry,live-client-spring-boot-starter)
done
status=0
count=0
while IFS= read -r f; do
  count=$((count + 1))
  if ! cmp -s "$work/1/$f" "$work/2/$f"; then
    echo "DIFFERS: $f"
    status=1
  else
    echo "same     $(sha256sum "$work/1/$f" | cut -c1-16)  $f"
  fi
done < <(cd "$work/1" && find . -path '*/target/*.jar' -newer pom.xml | sort)
[ "$count" -gt 0 ] || { echo "no archives were built"; exit 1; }
echo "$count archives compared: $([ $status -eq 0 ] && echo 'all byte-identical' || echo 'some differ')"
exit $status
