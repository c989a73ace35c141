# Reads the cloud-config keys the test guest honours from a NoCloud user-data file, with busybox
# awk, and writes each to a file under the directory `out`:
#   ssh_authorized_keys        -> out/authorized_keys (one key a line)
#   ssh_keys.ed25519_private   -> out/ed25519_private (the OpenSSH private key block)
#   ssh_keys.ed25519_public    -> out/ed25519_public
# It takes the YAML forms a writer is likely to use: block lists and flow lists ([ "a", 'b' ]),
# literal block scalars (| or |-) and double-quoted strings with \n escapes, a flow mapping on one
# line, quoted key names, comments, CRLF line ends. It is no general YAML parser; other keys are
# skipped.
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
function indent(s) { match(s, /^[ ]*/); return RLENGTH }
function unquote(s) {
  s = trim(s)
  if (s ~ /^".*"$/) {
    s = substr(s, 2, length(s) - 2)
    gsub(/\\n/, "\n", s); gsub(/\\"/, "\"", s); gsub(/\\\\/, "\\", s)
  } else if (s ~ /^'.*'$/) {
    s = substr(s, 2, length(s) - 2)
    gsub(/''/, "'", s)
  } else {
    sub(/[ \t]+#.*$/, "", s)   # a plain scalar ends at a comment
  }
  return s
}
# Splits the inside of a flow collection at commas outside quotes into parts[1..n]; returns n.
function split_flow(s, parts,    n, i, c, q, cur) {
  s = trim(s); sub(/^[[{]/, "", s); sub(/[]}]$/, "", s)
  n = 0; q = ""; cur = ""
  for (i = 1; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (q != "") { if (c == q && substr(s, i - 1, 1) != "\\") q = ""; cur = cur c; continue }
    if (c == "\"" || c == "'") { q = c; cur = cur c; continue }
    if (c == ",") { if (trim(cur) != "") parts[++n] = trim(cur); cur = ""; continue }
    cur = cur c
  }
  if (trim(cur) != "") parts[++n] = trim(cur)
  return n
}
# The key of "key: value" (quotes removed) and, through `rest`, its value.
function key_of(line,    k) { k = trim(line); sub(/[ \t]*:.*$/, "", k); gsub(/^["']|["']$/, "", k); return k }
function value_of(line,    v) { v = line; sub(/^[ \t]*("[^"]*"|'[^']*'|[^:]*)[ \t]*:/, "", v); return trim(v) }
function add_key(k) { if (k != "") keys = keys k "\n" }
function set_hostkey(k, v) { if (k == "ed25519_private" || k == "ed25519_public") hostkey[k] = v }
function flow_keys(v,    parts, n, i) { n = split_flow(v, parts); for (i = 1; i <= n; i++) add_key(unquote(parts[i])) }
function flow_hostkeys(v,    parts, n, i) {
  n = split_flow(v, parts)
  for (i = 1; i <= n; i++) set_hostkey(key_of(parts[i]), unquote(value_of(parts[i])))
}
function end_block() {
  if (!keep_newline) sub(/\n+$/, "", block_text); else sub(/\n*$/, "\n", block_text)
  set_hostkey(block_key, block_text)
  block_key = ""
}
{
  sub(/\r$/, "")
  line = $0
  if (block_key != "") {
    if (line ~ /^[ \t]*$/) { block_text = block_text "\n"; next }
    if (indent(line) > block_indent) {
      if (block_content < 0) block_content = indent(line)
      block_text = block_text substr(line, block_content + 1) "\n"
      next
    }
    end_block()
  }
  if (in_flow) { flow = flow " " line; if (line ~ /\]/) { in_flow = 0; flow_keys(flow) }; next }
  if (line ~ /^[ \t]*(#.*)?$/) next
  if (top == "ssh_authorized_keys" && line ~ /^[ \t]*-[ \t]/) { item = line; sub(/^[ \t]*-[ \t]+/, "", item); add_key(unquote(item)); next }
  if (indent(line) == 0) {
    top = key_of(line); v = value_of(line)
    if (top == "ssh_authorized_keys" && v ~ /^\[/) { if (v ~ /\]/) flow_keys(v); else { in_flow = 1; flow = v } }
    if (top == "ssh_keys" && v ~ /^\{/) flow_hostkeys(v)
    next
  }
  if (top == "ssh_keys") {
    k = key_of(line); v = value_of(line)
    if (v ~ /^[|>]/) { block_key = k; block_indent = indent(line); block_content = -1; block_text = ""; keep_newline = (v !~ /-/); next }
    set_hostkey(k, unquote(v))
  }
}
END {
  if (block_key != "") end_block()
  if (keys != "") printf "%s", keys > (out "/authorized_keys")
  if ("ed25519_private" in hostkey) { t = hostkey["ed25519_private"]; sub(/\n*$/, "\n", t); printf "%s", t > (out "/ed25519_private") }
  if ("ed25519_public" in hostkey) print hostkey["ed25519_public"] > (out "/ed25519_public")
}
