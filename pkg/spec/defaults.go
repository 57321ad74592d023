package spec

// DefaultPath is the PATH a container gets when neither the image nor the
// user sets one.
const DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// OCIVersion is the runtime-spec version written into generated specs. Older
// runtimes still in use refuse anything newer than 1.1.0.
const OCIVersion = "1.1.0"

// DefaultUmask is the umask of the container's first process.
const DefaultUmask uint32 = 0o022

// DefaultCapabilities returns the capability set an unprivileged container's
// root user gets: bounding, effective and permitted.
func DefaultCapabilities() []string {
	return []string{
		"CAP_CHOWN",
		"CAP_DAC_OVERRIDE",
		"CAP_FOWNER",
		"CAP_FSETID",
		"CAP_KILL",
		"CAP_NET_BIND_SERVICE",
		"CAP_SETFCAP",
		"CAP_SETGID",
		"CAP_SETPCAP",
		"CAP_SETUID",
		"CAP_SYS_CHROOT",
	}
}

// AllCapabilities returns every capability known to pod, indexed by its
// number (CAP_CHOWN is 0, CAP_CHECKPOINT_RESTORE is 40).
func AllCapabilities() []string {
	return []string{
		"CAP_CHOWN",              // 0
		"CAP_DAC_OVERRIDE",       // 1
		"CAP_DAC_READ_SEARCH",    // 2
		"CAP_FOWNER",             // 3
		"CAP_FSETID",             // 4
		"CAP_KILL",               // 5
		"CAP_SETGID",             // 6
		"CAP_SETUID",             // 7
		"CAP_SETPCAP",            // 8
		"CAP_LINUX_IMMUTABLE",    // 9
		"CAP_NET_BIND_SERVICE",   // 10
		"CAP_NET_BROADCAST",      // 11
		"CAP_NET_ADMIN",          // 12
		"CAP_NET_RAW",            // 13
		"CAP_IPC_LOCK",           // 14
		"CAP_IPC_OWNER",          // 15
		"CAP_SYS_MODULE",         // 16
		"CAP_SYS_RAWIO",          // 17
		"CAP_SYS_CHROOT",         // 18
		"CAP_SYS_PTRACE",         // 19
		"CAP_SYS_PACCT",          // 20
		"CAP_SYS_ADMIN",          // 21
		"CAP_SYS_BOOT",           // 22
		"CAP_SYS_NICE",           // 23
		"CAP_SYS_RESOURCE",       // 24
		"CAP_SYS_TIME",           // 25
		"CAP_SYS_TTY_CONFIG",     // 26
		"CAP_MKNOD",              // 27
		"CAP_LEASE",              // 28
		"CAP_AUDIT_WRITE",        // 29
		"CAP_AUDIT_CONTROL",      // 30
		"CAP_SETFCAP",            // 31
		"CAP_MAC_OVERRIDE",       // 32
		"CAP_MAC_ADMIN",          // 33
		"CAP_SYSLOG",             // 34
		"CAP_WAKE_ALARM",         // 35
		"CAP_BLOCK_SUSPEND",      // 36
		"CAP_AUDIT_READ",         // 37
		"CAP_PERFMON",            // 38
		"CAP_BPF",                // 39
		"CAP_CHECKPOINT_RESTORE", // 40
	}
}

// DefaultMaskedPaths returns the paths hidden from unprivileged containers.
func DefaultMaskedPaths() []string {
	return []string{
		"/proc/acpi",
		"/proc/kcore",
		"/proc/keys",
		"/proc/latency_stats",
		"/proc/timer_list",
		"/proc/timer_stats",
		"/proc/sched_debug",
		"/proc/scsi",
		"/sys/firmware",
		"/sys/fs/selinux",
		"/sys/dev/block",
		"/sys/devices/virtual/powercap",
	}
}

// DefaultReadonlyPaths returns the paths made read-only in unprivileged
// containers.
func DefaultReadonlyPaths() []string {
	return []string{
		"/proc/asound",
		"/proc/bus",
		"/proc/fs",
		"/proc/irq",
		"/proc/sys",
		"/proc/sysrq-trigger",
	}
}
