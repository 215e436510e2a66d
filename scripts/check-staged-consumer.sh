#!/usr/bin/env bash
# Builds consumer-check/ and consumer-check-spring/ as real applications would: against a staged
# release (from scripts/stage-release.sh) through a repository, with a private local repository, so
# nothing from the reactor or from ~/.m2's project artifacts is used. The enforcer's convergence
# rules and the consumers' tests must pass.
# Usage: scripts/check-staged-consumer.sh 0.1.0 /tmp/staging
set -euo pipefail
version=${1:?usage: check-staged-consumer.sh VERSION STAGING_DIR}
staging=$(cd "${2:?usage: check-staged-consumer.sh VERSION STAGING_DIR}" && pwd)
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
repo="$work/m2"
cp -r "${HOME}/.m2/repository" "$repo"     # third-party artifacts only: the project's are removed
rm -rf "$repo/dev/geminilive"
git archive HEAD consumer-check consumer-check-spring | tar -x -C "$work"
for consumer in consumer-check consumer-check-spring; do
  sed -i "s|<version>[^<]*-SNAPSHOT</version>|<version>$version</version>|" "$work/$consumer/pom.xml"
done
cat > "$work/settings.xml" <<XML
<settings>
  <profiles><profile><id>staging</id>
    <repositories><repository><id>staging</id><url>file://$staging</url></repository></repositories>
  </profile></profiles>
  <activeProfiles><activeProfile>staging</activeProfile></activeProfiles>
</settings>
XML
for consumer in consumer-check consumer-check-spring; do
  (cd "$work/$consumer" && mvn -B -s "$work/settings.xml" -Dmaven.repo.local="$repo" verify "$@")
done
