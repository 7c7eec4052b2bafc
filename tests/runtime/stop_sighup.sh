# SIGHUP while tracing: the maps are printed, etrace exits 0, and no program, link, map, kprobe/uprobe
# event or pinned object remains.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/_nothing_left.sh"
require_root
require_tracepoint raw_syscalls
stop_by HUP
finish
