// Runs before the Go runtime: joins the rootless user and mount namespaces,
// or, in the pause process, maps itself and waits forever.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "preparse.h"

#define POD_TMPFS_MAGIC 0x01021994

static int read_file(const char *path, char *buf, size_t len) {
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return (int)n;
}

static int in_list(const char *a, const char *const *list) {
	for (int i = 0; list[i]; i++)
		if (!strcmp(a, list[i]))
			return 1;
	return 0;
}

static int has_prefix(const char *a, const char *const *list) {
	for (int i = 0; list[i]; i++)
		if (!strncmp(a, list[i], strlen(list[i])))
			return 1;
	return 0;
}

// next_word returns the index of the first argument from i on that is
// neither an option nor a global option's value; argc when there is none,
// and -1 when help is set and an option that prints help or the version
// comes first.
static int next_word(int argc, char **argv, int i, int help) {
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-')
			return i;
		if (help && in_list(a, pod_no_userns_flags))
			return -1;
		if (in_list(a, pod_value_flags))
			i++;
	}
	return argc;
}

// noun_verb reports whether list holds "noun verb" (verb NULL: whether it
// holds any verb of noun).
static int noun_verb(const char *noun, const char *verb, const char *const *list) {
	size_t n = strlen(noun);
	for (int i = 0; list[i]; i++)
		if (!strncmp(list[i], noun, n) && list[i][n] == ' ' && (!verb || !strcmp(list[i] + n + 1, verb)))
			return 1;
	return 0;
}

// Commands that never need the namespace: keep them fast and harmless. The
// first argument that is neither an option nor an option's value is the
// command; options after it are the command's, except that global options
// may come between a noun and its verb ("system doctor"). A noun given
// without a verb prints its help. The lists come from preparse.h, which is
// generated from the command tree.
static int skip_command(int argc, char **argv) {
	int i = next_word(argc, argv, 1, 1);
	if (i < 0 || i >= argc)
		return 1;
	const char *a = argv[i];
	if (in_list(a, pod_no_userns_commands) || has_prefix(a, pod_no_userns_prefixes))
		return 1;
	if (!noun_verb(a, NULL, pod_no_userns_subcommands))
		return 0;
	int j = next_word(argc, argv, i + 1, 0);
	return j >= argc || noun_verb(a, argv[j], pod_no_userns_subcommands);
}

// skip_command for the package's tests; the constructor does not use it.
int pod_skip_command_for_test(int argc, char **argv) { return skip_command(argc, argv); }

// recorded_runtime_dir reads the runtime directory recorded in the data
// directory ($XDG_DATA_HOME/pod/runtime-dir, else
// $HOME/.local/share/pod/runtime-dir: "path\nbootid\n", see RuntimeDir in
// paths.go) into buf when it is of this boot and is a directory of this
// user; it returns 0 otherwise.
static int recorded_runtime_dir(char *buf, size_t len) {
	char rec[4096], data[4200], boot[64];
	const char *d = getenv("XDG_DATA_HOME"), *h = getenv("HOME");
	if (d && *d)
		snprintf(rec, sizeof rec, "%s/pod/runtime-dir", d);
	else if (h && *h)
		snprintf(rec, sizeof rec, "%s/.local/share/pod/runtime-dir", h);
	else
		return 0;
	if (read_file(rec, data, sizeof data) <= 0)
		return 0;
	char *nl = strchr(data, '\n');
	if (!nl || data[0] != '/')
		return 0;
	*nl = 0;
	char *want = nl + 1;
	want[strcspn(want, "\n")] = 0;
	if (read_file("/proc/sys/kernel/random/boot_id", boot, sizeof boot) <= 0)
		return 0;
	boot[strcspn(boot, "\n")] = 0;
	struct stat st;
	if (strcmp(boot, want) || lstat(data, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid())
		return 0;
	snprintf(buf, len, "%s", data);
	return 1;
}

// pause_dir is where the pause pid file is: below the recorded runtime
// directory, else $XDG_RUNTIME_DIR, else /tmp/pod-run-$UID.
static void pause_dir(char *buf, size_t len) {
	char rd[4096];
	const char *x = getenv("XDG_RUNTIME_DIR");
	if (recorded_runtime_dir(rd, sizeof rd))
		snprintf(buf, len, "%s/pod", rd);
	else if (x && *x)
		snprintf(buf, len, "%s/pod", x);
	else
		snprintf(buf, len, "/tmp/pod-run-%d/pod", (int)getuid());
}

// The pid from the pause pid file, if the file's boot id is this boot's and
// the process is a pod pause process.
static int read_pause_pid(void) {
	char dir[4096], path[4200], buf[256], boot[64], want[64], comm[64];
	int pid = 0;
	pause_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/pause.pid", dir);
	if (read_file(path, buf, sizeof buf) <= 0)
		return 0;
	if (sscanf(buf, "%d %63s", &pid, want) != 2 || pid <= 0)
		return 0;
	if (read_file("/proc/sys/kernel/random/boot_id", boot, sizeof boot) <= 0)
		return 0;
	boot[strcspn(boot, "\n")] = 0;
	if (strcmp(boot, want))
		return 0;
	snprintf(path, sizeof path, "/proc/%d/comm", pid);
	if (read_file(path, comm, sizeof comm) <= 0)
		return 0;
	comm[strcspn(comm, "\n")] = 0;
	if (strcmp(comm, "pod-pause"))
		return 0;
	// A killed pause process may linger as a zombie: its namespaces are gone.
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (read_file(path, buf, sizeof buf) <= 0)
		return 0;
	char *rp = strrchr(buf, ')');
	if (!rp || rp[1] != ' ' || rp[2] == 'Z' || rp[2] == 'X')
		return 0;
	return pid;
}

static int join(int pid) {
	char path[64], cwd[4096];
	int ufd, mfd;
	uid_t uid = getuid();
	gid_t gid = getgid();
	snprintf(path, sizeof path, "/proc/%d/ns/user", pid);
	ufd = open(path, O_RDONLY | O_CLOEXEC);
	if (ufd < 0)
		return -1;
	snprintf(path, sizeof path, "/proc/%d/ns/mnt", pid);
	mfd = open(path, O_RDONLY | O_CLOEXEC);
	if (mfd < 0) {
		close(ufd);
		return -1;
	}
	if (getcwd(cwd, sizeof cwd) == NULL)
		cwd[0] = 0;
	if (setns(ufd, CLONE_NEWUSER) < 0 || setns(mfd, CLONE_NEWNS) < 0) {
		int e = errno;
		close(ufd);
		close(mfd);
		errno = e;
		return -1;
	}
	close(ufd);
	close(mfd);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		return -1;
	if (cwd[0] && chdir(cwd) < 0)
		chdir("/");
	char num[32];
	snprintf(num, sizeof num, "%d", (int)uid);
	setenv("_POD_ROOTLESS_UID", num, 1);
	setenv("_CONTAINERS_ROOTLESS_UID", num, 1);
	snprintf(num, sizeof num, "%d", (int)gid);
	setenv("_POD_ROOTLESS_GID", num, 1);
	setenv("_CONTAINERS_ROOTLESS_GID", num, 1);
	setenv("_POD_USERNS_CONFIGURED", "1", 1);
	setenv("_CONTAINERS_USERNS_CONFIGURED", "done", 1);
	return 0;
}

// The pause process. Mode "new": wait until the parent has written the id
// maps, then execute itself again as uid 0 of the namespace (capabilities
// are computed at exec time, and the first exec happened before the maps
// existed). Mode "setup": prepare the mount namespace. Mode "join": started
// inside an existing namespace. Then sleep forever.
static void run_pause(const char *mode) {
	char c = 0;
	if (!strcmp(mode, "new")) {
		if (read(3, &c, 1) != 1 || c != '1')
			_exit(1);
		close(3);
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			_exit(2);
		char *argv[] = {"pod-pause", NULL};
		char *envp[] = {"_POD_PAUSE=setup", NULL};
		execve("/proc/self/exe", argv, envp);
		_exit(6);
	}
	if (!strcmp(mode, "setup")) {
		if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
			_exit(3);
		// On hybrid cgroup hosts, hide the cgroup2 mount so that OCI
		// runtimes treat the host as cgroup v1 (which they support).
		struct statfs fs;
		struct stat st;
		if (statfs("/sys/fs/cgroup", &fs) == 0 && fs.f_type == POD_TMPFS_MAGIC &&
		    stat("/sys/fs/cgroup/unified", &st) == 0)
			mount("tmpfs", "/sys/fs/cgroup/unified", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			      "mode=0755,size=4k");
	}
	prctl(PR_SET_NAME, "pod-pause", 0, 0, 0);
	if (chdir("/") < 0)
		_exit(4);
	c = '1';
	if (write(4, &c, 1) != 1)
		_exit(5);
	close(4);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (;;)
		pause();
}

__attribute__((constructor)) static void pod_userns_init(int argc, char **argv, char **envp) {
	(void)envp;
	// Whatever the caller's umask, what pod and the storage library write
	// (and the pause process, the monitors and network helpers started
	// from here) is never group- or world-writable.
	umask(022);
	const char *p = getenv("_POD_PAUSE");
	if (p && *p)
		run_pause(p);
	const char *jp = getenv("_POD_JOIN_PID");
	if (jp && *jp) {
		int pid = atoi(jp);
		if (join(pid) < 0) {
			fprintf(stderr, "Error: cannot join the user namespace of process %d: %s\n", pid, strerror(errno));
			_exit(125);
		}
		unsetenv("_POD_JOIN_PID");
		return;
	}
	if (geteuid() == 0 || (getenv("_POD_USERNS_CONFIGURED") && *getenv("_POD_USERNS_CONFIGURED")))
		return;
	if (argc < 1 || skip_command(argc, argv))
		return;
	int pid = read_pause_pid();
	if (pid > 0)
		join(pid); // on failure Go's Enter repairs it
}

// libc's view of the environment, which the constructor changed.
const char *pod_userns_getenv(const char *name) { return getenv(name); }
