// SPDX-License-Identifier: MIT
/* what is traced: processes by pid, or a command spawned held in its own process group */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <dirent.h>
#include <bpf/bpf.h>
#include "loader.h"

#define CGROUP2_MAGIC 0x63677270
#define STOP_GRACE_MS 1000 /* SIGTERM to SIGKILL, for a command still running */
#define STOP_POLL_MS 20

/* the thread-group id of a pid, or -1 when there is no such process */
pid_t tgid_of(pid_t pid)
{
	char path[64], line[256];
	pid_t tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	}
	fclose(f);
	return tgid;
}

static int cmp_tgid(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/*
 * the tgids among n (repeats allowed) whose process is gone: reaped, so every
 * exit hook of its threads has run. sorted and distinct, in place; how many
 */
size_t exited_tgids(uint32_t *tgids, size_t n)
{
	size_t out = 0;
	uint32_t prev = 0;

	qsort(tgids, n, sizeof(*tgids), cmp_tgid);
	for (size_t i = 0; i < n; i++) {
		uint32_t tgid = tgids[i];

		if (i && tgid == prev)
			continue;
		prev = tgid;
		if (kill(tgid, 0) && errno == ESRCH)
			tgids[out++] = tgid;
	}
	return out;
}

static int pidfd_open(pid_t pid)
{
	return syscall(SYS_pidfd_open, pid, 0);
}

/* the executable a command name resolves to, as execvp would find it */
static char *resolve_command(const char *name)
{
	const char *path = getenv("PATH");
	char *dirs, *dir, *save = NULL, *full;
	struct stat st;

	/* a path must be an executable regular file: a directory passes access(X_OK) */
	if (strchr(name, '/'))
		return stat(name, &st) || !S_ISREG(st.st_mode) || access(name, X_OK) ? NULL : strdup(name);
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	dirs = strdup(path);
	if (!dirs)
		return NULL;
	for (dir = strtok_r(dirs, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		if (asprintf(&full, "%s/%s", *dir ? dir : ".", name) < 0)
			break;
		if (!stat(full, &st) && S_ISREG(st.st_mode) && !access(full, X_OK)) {
			free(dirs);
			return full;
		}
		free(full);
	}
	free(dirs);
	return NULL;
}

/* the cgroup id of a cgroup v2 directory, or 0 with a message */
uint64_t cgroup_id(const char *path)
{
	struct statfs fs;
	struct stat st;

	if (stat(path, &st)) {
		warnx("--cgroup %s: %s", path, strerror(errno));
		return 0;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx("--cgroup %s: not a directory", path);
		return 0;
	}
	if (statfs(path, &fs) || fs.f_type != CGROUP2_MAGIC) {
		warnx("--cgroup %s: not a cgroup v2 directory (with the hybrid layout, look under "
		      "/sys/fs/cgroup/unified)",
		      path);
		return 0;
	}
	/* on cgroup v2 the directory's inode number is the cgroup id */
	return st.st_ino;
}

/* a SUDO_UID or SUDO_GID value: digits only, below (uid_t)-1 */
static int parse_id(const char *name, const char *text, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(text, &end, 10);
	if (!*text || *end || errno || *text == '-' || *text == '+' || *out >= (uid_t)-1) {
		warnx("%s=\"%s\": expected a numeric id (as sudo sets it)", name, text);
		return -1;
	}
	return 0;
}

/* in the parent: the user who ran sudo, whom the command will run as; 0, or EXIT_USAGE with a message */
static int sudo_user(struct target *t)
{
	const char *su = getenv("SUDO_UID"), *sg = getenv("SUDO_GID");
	unsigned long uid, gid;

	t->drop = false;
	if (geteuid() != 0 || (!su && !sg))
		return 0;
	if (!su || !sg) {
		warnx("%s is set but %s is not: cannot tell which user to run the command as", su ? "SUDO_UID" : "SUDO_GID", su ? "SUDO_GID" : "SUDO_UID");
		return EXIT_USAGE;
	}
	if (parse_id("SUDO_UID", su, &uid) || parse_id("SUDO_GID", sg, &gid))
		return EXIT_USAGE;
	t->drop = true;
	t->uid = uid;
	t->gid = gid;
	return 0;
}

/* validate the targets before touching the kernel: 0, or EXIT_USAGE with a message */
int target_check(struct target *t, const struct opts *o)
{
	for (int i = 0; i < o->npids; i++) {
		pid_t tgid = tgid_of(o->pids[i]);

		if (tgid < 0) {
			warnx("--pid %d: no such process", o->pids[i]);
			return EXIT_USAGE;
		}
		t->pidfds[t->ntgids] = pidfd_open(tgid);
		if (t->pidfds[t->ntgids] < 0) {
			warnx("--pid %d: cannot watch it: %s", o->pids[i], strerror(errno));
			return EXIT_USAGE;
		}
		t->tgids[t->ntgids++] = tgid;
	}
	if (o->command) {
		int rc = sudo_user(t);

		if (rc)
			return rc;
		t->cmd_path = resolve_command(o->command[0]);
		if (!t->cmd_path) {
			warnx("%s: command not found or not executable", o->command[0]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* in the child: become the user who ran sudo, groups included */
static int drop_to_sudo_user(const struct target *t)
{
	struct passwd *pw;
	uid_t uid = t->uid;
	gid_t gid = t->gid;

	if (!t->drop)
		return 0;
	pw = getpwuid(uid);
	if (pw ? initgroups(pw->pw_name, gid) : setgroups(1, &gid)) {
		warnx("cannot set the groups of uid %u: %s", uid, strerror(errno));
		return -1;
	}
	if (setgid(gid) || setuid(uid)) {
		warnx("cannot drop to uid %u gid %u: %s", uid, gid, strerror(errno));
		return -1;
	}
	return 0;
}

/* in the child: its own group, default signals, stdio, user; then wait for the release */
static void child_exec(struct target *t, const struct opts *o, int hold_fd)
{
	sigset_t none;
	char c;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	/* stderr first: stdout defaults to it */
	if (o->child_stderr_fd >= 0) {
		if (dup2(o->child_stderr_fd, 2) < 0)
			_exit(126);
		if (o->child_stderr_fd > 2)
			close(o->child_stderr_fd);
	}
	if (dup2(o->child_stdout_fd >= 0 ? o->child_stdout_fd : 2, 1) < 0) {
		warnx("cannot set up the command's stdout: %s", strerror(errno));
		_exit(126);
	}
	if (o->child_stdout_fd > 2)
		close(o->child_stdout_fd);
	if (o->child_stdin_fd >= 0) {
		if (dup2(o->child_stdin_fd, 0) < 0) {
			warnx("cannot set up the command's stdin: %s", strerror(errno));
			_exit(126);
		}
		if (o->child_stdin_fd > 2)
			close(o->child_stdin_fd);
	} else if (o->stop_on_stdin_eof) {
		/* stdin is the loader's stop channel, not the command's input */
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, 0) < 0) {
			warnx("cannot set up the command's stdin: %s", strerror(errno));
			_exit(126);
		}
		if (null > 0)
			close(null);
	}
	if (drop_to_sudo_user(t))
		_exit(126);
	if (read(hold_fd, &c, 1) != 1)
		_exit(126); /* the loader went away */
	execv(t->cmd_path, o->command);
	warnx("cannot run %s: %s", t->cmd_path, strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/*
 * fork the command held on a pipe, in a process group of its own; it runs
 * only after target_release(), once the kernel filter knows its pid, so its
 * execve is the first call we count.
 */
int target_spawn(struct target *t, const struct opts *o)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC)) {
		warnx("pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		warnx("fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[1]);
		child_exec(t, o, fds[0]);
	}
	/* both sides set the group: whichever runs first, it exists before the release */
	setpgid(pid, pid);
	if (o->foreground && isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == getpgrp()) {
		if (tcsetpgrp(STDIN_FILENO, pid))
			warnx("cannot hand the terminal to the command: %s", strerror(errno));
		else
			t->has_tty = true;
	}
	close(fds[0]);
	if (o->child_stdout_fd > 2)
		close(o->child_stdout_fd);
	if (o->child_stdin_fd > 2)
		close(o->child_stdin_fd);
	if (o->child_stderr_fd > 2)
		close(o->child_stderr_fd);
	t->child = pid;
	t->release_fd = fds[1];
	return 0;
}

/* mark the targets in the kernel filter (before attaching, so nothing of theirs is missed) */
int target_mark(const struct target *t, int targets_fd)
{
	uint8_t yes = TARGET_YES, pending = TARGET_PENDING_EXEC;

	for (int i = 0; i < t->ntgids; i++) {
		if (bpf_map_update_elem(targets_fd, &t->tgids[i], &yes, BPF_ANY)) {
			warnx("--pid %u: cannot add it to the filter: %s", t->tgids[i],
			      strerror(errno));
			return -1;
		}
	}
	/* counted from its execve on; the pre-exec set-up is ours */
	if (t->child > 0 && bpf_map_update_elem(targets_fd, &t->child, &pending, BPF_ANY)) {
		warnx("cannot add the command to the filter: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* the parent of a process from /proc/PID/stat, or -1 (gone, or not a process) */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *close_paren;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* "pid (comm) state ppid ...": comm may hold spaces and parentheses */
	close_paren = strrchr(buf, ')');
	if (!close_paren || close_paren[1] != ' ' || !close_paren[2] || close_paren[3] != ' ')
		return -1;
	return (pid_t)strtol(close_paren + 4, NULL, 10);
}

struct proc_link {
	pid_t pid, parent;
};

static int by_parent(const void *a, const void *b)
{
	const struct proc_link *x = a, *y = b;

	return (x->parent > y->parent) - (x->parent < y->parent);
}

/* every process now, with its parent, sorted by parent: NULL when out of memory */
static struct proc_link *list_procs(size_t *count)
{
	struct proc_link *links = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *proc = opendir("/proc");

	if (!proc)
		return NULL;
	while ((de = readdir(proc))) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end || pid <= 0)
			continue;
		if (n == cap) {
			struct proc_link *more = realloc(links, (cap ? cap * 2 : 1024) * sizeof(*more));

			if (!more) {
				free(links);
				closedir(proc);
				return NULL;
			}
			links = more;
			cap = cap ? cap * 2 : 1024;
		}
		links[n].pid = (pid_t)pid;
		links[n].parent = parent_of((pid_t)pid);
		n++;
	}
	closedir(proc);
	if (n)
		qsort(links, n, sizeof(*links), by_parent);
	*count = n;
	return links ? links : calloc(1, sizeof(*links));
}

/*
 * with --follow, the processes the named pids had already started are theirs
 * too (a server's workers, a database's backends): mark every descendant alive
 * now. run after attaching, so a fork in between is either seen by the fork
 * program (its parent was marked) or found here (it is in /proc by then).
 * returns how many were marked, or -1.
 */
int target_mark_descendants(const struct target *t, int targets_fd)
{
	uint8_t yes = TARGET_YES;
	size_t n = 0, head = 0, tail = 0;
	struct proc_link *links = list_procs(&n);
	pid_t *queue;
	int marked = 0;

	queue = links ? malloc((n + t->ntgids) * sizeof(*queue)) : NULL;
	if (!queue) {
		free(links);
		warnx("--follow: cannot list the processes already started: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < t->ntgids; i++)
		queue[tail++] = (pid_t)t->tgids[i];
	/* breadth first; a tree has no cycles, so each pid enters the queue once */
	while (head < tail) {
		struct proc_link key = { .parent = queue[head++] };
		struct proc_link *hit = n ? bsearch(&key, links, n, sizeof(*links), by_parent) : NULL;

		if (!hit)
			continue;
		while (hit > links && hit[-1].parent == key.parent)
			hit--;
		for (; hit < links + n && hit->parent == key.parent; hit++) {
			uint32_t pid = (uint32_t)hit->pid;

			/* a pid named twice (--pid A --pid B, B a child of A) must not overflow */
			if (tail < n + (size_t)t->ntgids)
				queue[tail++] = hit->pid;
			/* a pid beyond the filter's size cannot be marked: its calls count as untracked */
			if (!bpf_map_update_elem(targets_fd, &pid, &yes, BPF_ANY))
				marked++;
		}
	}
	free(queue);
	free(links);
	return marked;
}

/* let the held command go on to its execve */
void target_release(struct target *t)
{
	if (t->release_fd < 0)
		return;
	if (write(t->release_fd, "g", 1) != 1)
		warnx("releasing the command: %s", strerror(errno));
	close(t->release_fd);
	t->release_fd = -1;
}

/* collect the command's exit if it has ended; true once it has */
bool target_reap(struct target *t)
{
	struct rusage ru;

	if (t->child <= 0 || t->done)
		return t->done;
	if (wait4(t->child, &t->status, WNOHANG, &ru) != t->child)
		return false;
	t->cpu_ns = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ULL +
		    (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ULL;
	t->done = true;
	return true;
}

/* whether any process is left in the command's group (its zombie reaped first) */
static bool group_alive(struct target *t)
{
	target_reap(t);
	return !(kill(-t->child, 0) && errno == ESRCH);
}

/*
 * the command's group goes with us. asked to stop (a signal, stdin EOF):
 * SIGTERM, then SIGKILL after a grace period; any other end: SIGKILL.
 * a command that has exited by itself keeps whatever it left behind.
 */
void target_stop(struct target *t, bool asked)
{
	if (t->child <= 0 || target_reap(t))
		return;
	if (asked && !kill(-t->child, SIGTERM)) {
		struct timespec pause = { 0, STOP_POLL_MS * 1000000L };

		for (int ms = 0; ms < STOP_GRACE_MS && group_alive(t); ms += STOP_POLL_MS)
			nanosleep(&pause, NULL);
	}
	if (group_alive(t))
		kill(-t->child, SIGKILL);
	if (!t->done && waitpid(t->child, &t->status, 0) == t->child)
		t->done = true;
}

/* take the terminal back from the command's group (we are in the background: no SIGTTOU) */
static void take_tty_back(struct target *t)
{
	void (*old)(int);

	if (!t->has_tty)
		return;
	old = signal(SIGTTOU, SIG_IGN);
	if (tcsetpgrp(STDIN_FILENO, getpgrp()))
		warnx("cannot take the terminal back: %s", strerror(errno));
	signal(SIGTTOU, old);
	t->has_tty = false;
}

void target_free(struct target *t)
{
	take_tty_back(t);
	if (t->release_fd >= 0)
		close(t->release_fd);
	for (int i = 0; i < t->ntgids; i++)
		close(t->pidfds[i]);
	free(t->cmd_path);
}
