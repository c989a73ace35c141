# Sourced by bin/drydock-control: class-data sharing for the short-lived CLI JVM. Loading and linking
# the jar's ~5,000 classes was most of a command's time; an archive of them, mapped at start, removes
# most of that. On JDK 25 and later it is an AOT cache (JEP 483/514: classes loaded and linked ahead
# of time, about a quarter faster than the dynamic CDS archive older JDKs get). The archive is made
# from the first command that does real work (not --help, version, completion): its classes are
# recorded at its exit (-XX:AOTMode=record, or -XX:ArchiveClassesAtExit before JDK 25), the archive is
# written after it succeeded and renamed into place, so a half-written one is never used. It lives
# under DRYDOCK_HOME (default ~/.drydock, private) in cds/, named after the JDK's version and the jar's
# size and modification time: a rebuilt jar or another JDK gets an archive of its own (the JVM also
# checks both itself, and ignores an archive that does not match), and older archives are removed
# when a new one is made. DRYDOCK_CDS=off turns it off.
#
# Sets DRYDOCK_CDS_FLAGS (JVM options) and DRYDOCK_CDS_NEW (the archive being made, to finish with
# drydock_cds_keep once the command succeeded; empty when there is none).
drydock_cds_prepare() {
  local jar="$1"; shift
  DRYDOCK_CDS_FLAGS=(); DRYDOCK_CDS_NEW=""
  [ "${DRYDOCK_CDS:-on}" != off ] || return 0
  local runtime feature jar_key dir archive kind
  runtime=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release" 2>/dev/null)
  feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null)
  jar_key=$(stat -c %s-%Y "$jar" 2>/dev/null) || return 0
  [ -n "$runtime" ] && [ -n "$feature" ] || return 0
  kind=jsa
  [ "$feature" -lt 25 ] || kind=aot
  dir="${DRYDOCK_HOME:-$HOME/.drydock}/cds"
  archive="$dir/drydock-control-${runtime//[^A-Za-z0-9.+_-]/_}-$jar_key.$kind"
  # -Xlog: an archive the JVM cannot map (another JDK build, address-space layout) is not worth a warning
  if [ -f "$archive" ]; then
    if [ "$kind" = aot ]; then
      DRYDOCK_CDS_FLAGS=(-XX:AOTCache="$archive" -Xlog:aot=off -Xlog:cds=off)
    else
      DRYDOCK_CDS_FLAGS=(-XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
    fi
    return 0
  fi
  local arg
  for arg in "$@"; do
    case "$arg" in -h|--help|-V|--version|help|version|completion) return 0 ;; esac
  done
  [ $# -gt 0 ] || return 0
  (umask 077 && mkdir -p "$dir") 2>/dev/null && [ -w "$dir" ] || return 0
  DRYDOCK_CDS_NEW="$archive"
  if [ "$kind" = aot ]; then
    # the recording JVM says "AOTConfiguration recorded" on stdout, which is the command's: kept off it
    DRYDOCK_CDS_FLAGS=(-XX:AOTMode=record -XX:AOTConfiguration="$archive.$$.config" -Xlog:aot=off -Xlog:cds=off
      -XX:+UnlockDiagnosticVMOptions -XX:-DisplayVMOutput)
  else
    DRYDOCK_CDS_FLAGS=(-XX:ArchiveClassesAtExit="$archive.$$.tmp" -Xlog:cds=off -Xlog:cds+dynamic=off)
  fi
}

# After the command that recorded an archive: make it (AOT: from the recorded configuration, with
# the command's JVM options, given as arguments) if the command succeeded, and drop older ones.
drydock_cds_keep() {
  local rc="$1"; shift
  local tmp="$DRYDOCK_CDS_NEW.$$.tmp" config="$DRYDOCK_CDS_NEW.$$.config"
  [ -n "$DRYDOCK_CDS_NEW" ] || return 0
  if [ "$rc" -eq 0 ] && [ -s "$config" ]; then
    "$JAVA_HOME/bin/java" "$@" -XX:AOTMode=create -XX:AOTConfiguration="$config" -XX:AOTCache="$tmp" \
      -Xlog:aot=off -Xlog:cds=off >/dev/null 2>&1 || rm -f "$tmp"
  fi
  if [ "$rc" -eq 0 ] && [ -s "$tmp" ]; then
    find "$(dirname "$DRYDOCK_CDS_NEW")" -maxdepth 1 \( -name 'drydock-control-*.jsa' -o -name 'drydock-control-*.aot' \) \
      ! -name "$(basename "$DRYDOCK_CDS_NEW")" -delete 2>/dev/null
    mv -f "$tmp" "$DRYDOCK_CDS_NEW" 2>/dev/null
  fi
  rm -f "$tmp" "$config"
}
