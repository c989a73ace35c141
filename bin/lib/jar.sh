# Sourced by bin/*: builds a module's runnable jar when it is missing or older than any source.
drydock_ensure_jar() {
  local root="$1" module="$2" jar="$3"
  if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o -path "$root/.git" -prune -o \
        \( -name '*.java' -o -name 'pom.xml' -o -name '*.sql' -o -name '*.xml' \) -newer "$jar" -print -quit)" ]; then
    echo "building $jar (first use or sources changed) ..." >&2
    (cd "$root" && mvn -B -q -DskipTests -pl "$module" -am package) >&2 || {
      echo "build failed: run 'mvn -B -DskipTests -pl $module -am package' in $root to see why" >&2
      exit 1
    }
  fi
}
