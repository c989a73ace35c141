# Sourced by bin/* and .ci/run: points JAVA_HOME at a JDK >= 21, trying JAVA_HOME, then the
# JDKs under /usr/lib/jvm (newest first), then the java on PATH. Fails with what to install.
drydock_java_major() {
  # A JDK's release file names its version: reading it costs nothing, starting a JVM to ask costs
  # a tenth of a second or more (it ran on every command). A JDK without one is asked.
  local version
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  if [ -n "$version" ]; then
    echo "$version"
  else
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
  fi
}

drydock_find_java() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sed 's:/$::' | sort -rV) \
                   "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(drydock_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "Drydock needs a JDK 21 or newer and found none (Debian 12's own is 17): install one, e.g. Eclipse Temurin 21" \
       "(package temurin-21-jdk from Adoptium's apt repository), or unpack a JDK and set JAVA_HOME to it." >&2
  return 1
}
