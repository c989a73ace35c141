# Sourced by bin/drydock-control: class-data sharing for the short-lived CLI JVM. Loading and linking
# the jar's ~5,000 classes was most of a command's time; an AppCDS archive of them, mapped at start,
# removes most of that. The archive is made by the first command that does real work (not --help,
# version, completion), dumped at its exit (-XX:ArchiveClassesAtExit) and renamed into place, so a
# half-written one is never used. It lives under DRYDOCK_HOME (default ~/.drydock, private) in cds/,
# named after the JDK's version and the jar's size and modification time: a rebuilt jar or another
# JDK gets an archive of its own (the JVM also checks both itself, and ignores an archive that does
# not match), and older archives are removed when a new one is made. DRYDOCK_CDS=off turns it off.
#
# Sets DRYDOCK_CDS_FLAGS (JVM options) and DRYDOCK_CDS_NEW (the archive being dumped, to rename into
# place with drydock_cds_keep once the command succeeded; empty when there is none).
drydock_cds_prepare() {
  local jar="$1"; shift
  DRYDOCK_CDS_FLAGS=(); DRYDOCK_CDS_NEW=""
  [ "${DRYDOCK_CDS:-on}" != off ] || return 0
  local runtime jar_key dir archive
  runtime=$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$JAVA_HOME/release" 2>/dev/null)
  jar_key=$(stat -c %s-%Y "$jar" 2>/dev/null) || return 0
  [ -n "$runtime" ] || return 0
  dir="${DRYDOCK_HOME:-$HOME/.drydock}/cds"
  archive="$dir/drydock-control-${runtime//[^A-Za-z0-9.+_-]/_}-$jar_key.jsa"
  # -Xlog: an archive the JVM cannot map (another JDK build, address-space layout) is not worth a warning
  if [ -f "$archive" ]; then
    DRYDOCK_CDS_FLAGS=(-XX:SharedArchiveFile="$archive" -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off)
    return 0
  fi
  local arg
  for arg in "$@"; do
    case "$arg" in -h|--help|-V|--version|help|version|completion) return 0 ;; esac
  done
  [ $# -gt 0 ] || return 0
  (umask 077 && mkdir -p "$dir") 2>/dev/null && [ -w "$dir" ] || return 0
  DRYDOCK_CDS_NEW="$archive"
  DRYDOCK_CDS_FLAGS=(-XX:ArchiveClassesAtExit="$archive.$$.tmp" -Xlog:cds=off -Xlog:cds+dynamic=off)
}

# After the command that dumped an archive: keep it if the command succeeded, drop older ones.
drydock_cds_keep() {
  local rc="$1" tmp="$DRYDOCK_CDS_NEW.$$.tmp"
  [ -n "$DRYDOCK_CDS_NEW" ] || return 0
  if [ "$rc" -eq 0 ] && [ -s "$tmp" ]; then
    find "$(dirname "$DRYDOCK_CDS_NEW")" -maxdepth 1 -name 'drydock-control-*.jsa' ! -name "$(basename "$DRYDOCK_CDS_NEW")" -delete 2>/dev/null
    mv -f "$tmp" "$DRYDOCK_CDS_NEW" 2>/dev/null
  fi
  rm -f "$tmp"
}
