#!/usr/bin/env bash
# Runs a main class from analyzer's test sources (the benchmark and the trace tool need test-support's
# private redis-server, so they live there) on the test class path. Build first:
#   mvn -q -pl analyzer -am install -DskipTests     (from the project root)
# Usage: analyzer/scripts/run-test-main.sh [JVM options…] <main class> [args…]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f target/test-classpath.txt ] || [ pom.xml -nt target/test-classpath.txt ]; then
  (cd .. && mvn -q -pl analyzer dependency:build-classpath -Dmdep.includeScope=test \
     -Dmdep.outputFile=target/test-classpath.txt >/dev/null)
fi
jvm=()
while [ $# -gt 0 ] && [[ "$1" == -* ]]; do jvm+=("$1"); shift; done
exec java "${jvm[@]}" -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" "$@"
