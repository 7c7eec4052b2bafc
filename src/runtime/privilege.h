/* privilege: does this process have what loading and attaching BPF programs needs?
 * rt_privilege_check() looks at the effective capabilities of the calling process (not at the uid: root
 * with its capabilities dropped by setpriv/capsh is refused too). Enough means CAP_SYS_ADMIN, or both
 * CAP_BPF and CAP_PERFMON. Returns 0 when enough, -EPERM when not, another negative errno when the
 * capabilities cannot be read. Prints nothing; the caller says "etrace needs root (or CAP_BPF and
 * CAP_PERFMON)" (RT_PRIVILEGE_MESSAGE) and exits 1 before doing anything else. */
#ifndef ETRACE_RUNTIME_PRIVILEGE_H
#define ETRACE_RUNTIME_PRIVILEGE_H

#define RT_PRIVILEGE_MESSAGE "etrace needs root (or CAP_BPF and CAP_PERFMON)"

int rt_privilege_check(void);

#endif
