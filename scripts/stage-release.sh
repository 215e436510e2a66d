#!/usr/bin/env bash
# Stages a release the way it would go to Maven Central (signatures aside): builds the committed
# HEAD with the given version in a fresh directory and deploys the published artifacts (POM, jar,
# sources, javadoc, with .md5/.sha1 checksums) to a local directory laid out as a Maven repository.
# Usage: scripts/stage-release.sh 0.1.0 /tmp/staging [extra mvn args]
set -euo pipefail
version=${1:?usage: stage-release.sh VERSION DIR}
dir=$(mkdir -p "${2:?usage: stage-release.sh VERSION DIR}" && cd "$2" && pwd)
shift 2
cd "$(dirname "$0")/.."
snapshot=$(sed -n '0,/<version>\(.*-SNAPSHOT\)<\/version>/s::\1:p' pom.xml | tr -d ' ')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git archive HEAD | tar -x -C "$work"
find "$work" -name pom.xml -exec sed -i "s|<version>$snapshot</version>|<version>$version</version>|" {} +
(cd "$work" && mvn -B -q deploy -DskipTests "$@" -DaltDeploymentRepository="staging::file://$dir")
(cd "$dir" && find . -type f | sort)
