/*
 * extract_sandbox.c - extract_pdf() in a child process, both ends of the
 * pipes: the server's (extract_pdf_sandboxed: spawn, feed and read under
 * one deadline, reap) and the child's (extract_pdf_main: limit itself,
 * then answer one JSON line and the text).
 *
 * The child gets no descriptor but its pipes and stderr, and no
 * environment but the sanitizers' options.  It is killed when it
 * overstays or writes too much, and nothing it answers is taken unless
 * extract_pdf() could have written it.
 */
#include "materials/extract.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/alloc.h"
#include "materials/extract_int.h"

#define CHILD_HEADER_MAX 4096	/* the child's JSON line, newline included */

/* The sandbox */

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child's environment: nothing of ours but the sanitizers' options. */
static char **
child_env(void)
{
	static const char *const keep[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS",
	    "LSAN_OPTIONS"};
	char **env = xcalloc(sizeof(keep) / sizeof(keep[0]) + 1,
	    sizeof(*env));
	size_t n = 0;

	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
		const char *v = getenv(keep[i]);

		if (v != NULL)
			env[n++] = xasprintf("%s=%s", keep[i], v);
	}
	return env;
}

static void
free_env(char **env)
{
	for (size_t i = 0; env[i] != NULL; i++)
		free(env[i]);
	free(env);
}

/* Text from the child must already be what extract_pdf() writes. */
static bool
normalized(const char *s, size_t n)
{
	uint32_t cp;

	if (!extract_utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n;) {
		i += extract_utf8_next(s + i, n - i, &cp);
		if (cp != '\n' && cp != ' ' && extract_cclass(cp) != C_KEEP)
			return false;
	}
	return true;
}

/* Reads the child's answer: a JSON line, then the text. */
static int
child_answer(const char *s, size_t n, size_t max_chars, int probe, char **out,
    struct extract_info *info, char *err, size_t errlen)
{
	const char *nl = memchr(s, '\n', n);
	json_t *h, *v;
	json_error_t jerr;
	int rc = -1;

	if (nl == NULL || (h = json_loadb(s, (size_t)(nl - s), 0, &jerr)) ==
	    NULL)
		return extract_pdf_refuse(err, errlen,
		    "The PDF could not be read.");
	n -= (size_t)(nl + 1 - s);
	s = nl + 1;
	if (!json_is_true(json_object_get(h, "ok"))) {
		v = json_object_get(h, "error");
		extract_pdf_refuse(err, errlen, "%s", json_is_string(v) ?
		    json_string_value(v) : "The PDF could not be read.");
	} else if ((probe && n != 0) || (!probe && (n == 0 ||
	    n > max_chars || s[n - 1] != '\n' || !normalized(s, n))))
		extract_pdf_refuse(err, errlen, "The PDF could not be read.");
	else {
		if (info != NULL) {
			v = json_object_get(h, "title");
			info->pages = (int)json_integer_value(
			    json_object_get(h, "pages"));
			if (json_is_string(v))
				extract_set_title(info, json_string_value(v),
				    json_string_length(v));
		}
		if (!probe && out != NULL)
			*out = xstrndup(s, n);
		rc = 0;
	}
	json_decref(h);
	return rc;
}

int
extract_pdf_sandboxed(const char *argv0, const void *data, size_t len,
    const struct extract_limits *lim, int probe, long timeout_ms,
    char **out, struct extract_info *info, char *err, size_t errlen)
{
	return extract_pdf_sandboxed_cmd(argv0, EXTRACT_PDF_COMMAND, data,
	    len, lim, probe, timeout_ms, out, info, err, errlen);
}

/*
 * Starts `argv0 command --max-chars N --max-pages N [--probe]` with its
 * stdin and stdout on pipes (*to, *from: our ends); its pid, or -1.
 */
static pid_t
spawn_child(const char *argv0, const char *command,
    const struct extract_limits *lim, int probe, int *to, int *from)
{
	char chars[32], pages[32];
	char *argv[8], **env;
	int in[2], out[2], ac = 0, rc;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) != 0)
		return -1;
	if (pipe2(out, O_CLOEXEC) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	snprintf(chars, sizeof(chars), "%zu", lim->max_chars);
	snprintf(pages, sizeof(pages), "%d", lim->max_pages);
	argv[ac++] = (char *)argv0;
	argv[ac++] = (char *)command;
	argv[ac++] = "--max-chars";
	argv[ac++] = chars;
	argv[ac++] = "--max-pages";
	argv[ac++] = pages;
	if (probe)
		argv[ac++] = "--probe";
	argv[ac] = NULL;
	env = child_env();
	/*
	 * dup2 clears close-on-exec on 0 and 1; every other descriptor of
	 * ours (sockets, the database) is closed in the child.  The signal
	 * mask and handlers of this thread are not the child's business.
	 */
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, in[0], 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], 1);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawn(&pid, argv0, &fa, &attr, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	free_env(env);
	close(in[0]);
	close(out[1]);
	if (rc != 0) {
		close(in[1]);
		close(out[0]);
		return -1;
	}
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	*to = in[1];
	*from = out[0];
	return pid;
}

enum pump {
	PUMP_EOF,	/* the child closed its output */
	PUMP_TIMEOUT,
	PUMP_FLOOD,	/* it wrote more than cap */
	PUMP_FAIL
};

/*
 * Writes data to the child while reading what it writes into got, until
 * it closes its output, the deadline passes or got passes cap.  Doing
 * both at once, neither pipe's buffer can stall the pair.  Closes to and
 * from.
 */
static enum pump
pump(int to, int from, const void *data, size_t len, size_t cap,
    long deadline, struct buf *got)
{
	char tmp[16384];
	sigset_t pipeset, oldmask, pending;
	bool epipe = false, was_pending;
	enum pump rc;
	size_t off = 0;

	/* A child that dies before reading all must not kill us with EPIPE. */
	sigemptyset(&pipeset);
	sigaddset(&pipeset, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipeset, &oldmask);
	if (len == 0) {
		close(to);
		to = -1;
	}
	for (;;) {
		struct pollfd pfd[2];
		nfds_t nfd = 0;
		long left = deadline - now_ms();
		ssize_t k;
		int pr;

		if (left <= 0) {
			rc = PUMP_TIMEOUT;
			break;
		}
		if (to >= 0)
			pfd[nfd++] = (struct pollfd){to, POLLOUT, 0};
		pfd[nfd++] = (struct pollfd){from, POLLIN, 0};
		pr = poll(pfd, nfd, left > INT_MAX ? INT_MAX : (int)left);
		if (pr < 0 && errno != EINTR) {
			rc = PUMP_FAIL;
			break;
		}
		if (pr <= 0)
			continue;
		if (to >= 0 && pfd[0].revents != 0) {
			k = write(to, (const char *)data + off, len - off >
			    65536 ? 65536 : len - off);
			if (k > 0)
				off += (size_t)k;
			else if (k < 0 && errno != EAGAIN && errno != EINTR) {
				epipe |= errno == EPIPE;
				off = len;	/* it reads no more */
			}
			if (off == len) {
				close(to);
				to = -1;
			}
		}
		if (pfd[nfd - 1].revents == 0)
			continue;
		k = read(from, tmp, sizeof(tmp));
		if (k > 0) {
			buf_put(got, tmp, (size_t)k);
			if (got->len > cap) {
				rc = PUMP_FLOOD;
				break;
			}
		} else if (k == 0) {
			rc = PUMP_EOF;
			break;
		} else if (errno != EAGAIN && errno != EINTR) {
			rc = PUMP_FAIL;
			break;
		}
	}
	if (to >= 0)
		close(to);
	close(from);
	if (epipe && !was_pending) {
		struct timespec zero = {0, 0};

		sigtimedwait(&pipeset, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
	return rc;
}

/*
 * Reaps the child: with patience, it has until the deadline to exit (its
 * output is closed, it should be leaving); then, or without patience, it
 * is killed.  -1 when it overstayed or was reaped by someone else.
 */
static int
reap(pid_t pid, bool patience, long deadline, int *status)
{
	while (patience) {
		struct timespec nap = {0, 2 * 1000 * 1000};
		pid_t w = waitpid(pid, status, WNOHANG);

		if (w == pid)
			return 0;
		/* Reaped elsewhere: the pid may be another process now. */
		if (w < 0 && errno != EINTR)
			return -1;
		if (now_ms() >= deadline)
			break;
		nanosleep(&nap, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return -1;
}

int
extract_pdf_sandboxed_cmd(const char *argv0, const char *command,
    const void *data, size_t len, const struct extract_limits *lim,
    int probe, long timeout_ms, char **out, struct extract_info *info,
    char *err, size_t errlen)
{
	struct buf got = {0};
	long deadline = now_ms() + timeout_ms;
	int to, from, status = 0, rc = -1;
	enum pump how;
	pid_t pid;

	if (out != NULL)
		*out = NULL;
	extract_info_clear(info);
	if (len > EXTRACT_PDF_MAX_BYTES)
		return extract_pdf_refuse(err, errlen, "The PDF is bigger "
		    "than the %zu MiB allowed.", EXTRACT_PDF_MAX_BYTES >> 20);
	if (len < 5 || memcmp(data, "%PDF-", 5) != 0)
		return extract_pdf_refuse(err, errlen,
		    "The file is not a PDF.");
	if ((pid = spawn_child(argv0, command, lim, probe, &to, &from)) < 0)
		return extract_pdf_refuse(err, errlen, "The PDF could not be "
		    "read now; try again later.");
	how = pump(to, from, data, len, lim->max_chars + CHILD_HEADER_MAX,
	    deadline, &got);
	if (reap(pid, how == PUMP_EOF, deadline, &status) != 0 &&
	    how == PUMP_EOF)
		how = now_ms() >= deadline ? PUMP_TIMEOUT : PUMP_FAIL;

	if (how == PUMP_TIMEOUT ||
	    (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU))
		extract_pdf_refuse(err, errlen,
		    "The PDF could not be read in time.");
	else if (how == PUMP_FLOOD)
		extract_pdf_refuse(err, errlen, "The material holds more "
		    "than the %zu characters of text allowed.",
		    lim->max_chars);
	else if (how == PUMP_FAIL || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		extract_pdf_refuse(err, errlen, "The PDF could not be read.");
	else
		rc = child_answer(got.s != NULL ? got.s : "", got.len,
		    lim->max_chars, probe, out, info, err, errlen);
	free(got.s);
	return rc;
}

/* The child */

static int
limit(int resource, rlim_t value)
{
	struct rlimit rl = {value, value};

	if (resource == RLIMIT_CPU)
		rl.rlim_max = value + 1;	/* SIGXCPU, then SIGKILL */
	return setrlimit(resource, &rl);
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static int
limit_self(void)
{
	/* The server may die first; this child must not outlive it. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* With no file to write, a write to a file fails with EFBIG. */
	signal(SIGXFSZ, SIG_IGN);
	if (limit(RLIMIT_CPU, 30) != 0 || limit(RLIMIT_FSIZE, 0) != 0 ||
	    limit(RLIMIT_NOFILE, 16) != 0 || limit(RLIMIT_CORE, 0) != 0)
		return -1;
#ifndef UNDER_ASAN
	/* AddressSanitizer reserves terabytes of address space up front. */
	if (limit(RLIMIT_AS, (rlim_t)1 << 30) != 0)
		return -1;
#endif
	return 0;
}

static int
write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, s, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		s += k;
		n -= (size_t)k;
	}
	return 0;
}

static bool
parse_size(const char *s, unsigned long long maxv, unsigned long long *v)
{
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0' && *v <= maxv;
}

int
extract_pdf_main(int argc, char **argv)
{
	struct extract_limits lim = {2u << 20, 500};
	struct extract_info info;
	struct buf in = {0};
	char err[256], *text = NULL, *head;
	json_t *h;
	int probe = 0, rc;
	unsigned long long v;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--probe") == 0)
			probe = 1;
		else if (strcmp(argv[i], "--max-chars") == 0 &&
		    parse_size(argv[i + 1], SIZE_MAX / 2, &v))
			lim.max_chars = (size_t)v, i++;
		else if (strcmp(argv[i], "--max-pages") == 0 &&
		    parse_size(argv[i + 1], INT_MAX, &v))
			lim.max_pages = (int)v, i++;
		else {
			fprintf(stderr, "usage: ludus %s [--probe] "
			    "[--max-chars N] [--max-pages N] <pdf\n",
			    EXTRACT_PDF_COMMAND);
			return 2;
		}
	}
	if (limit_self() != 0) {
		fprintf(stderr, "ludus %s: cannot set resource limits\n",
		    EXTRACT_PDF_COMMAND);
		return 2;
	}
	for (;;) {
		char chunk[65536];
		ssize_t k = read(0, chunk, sizeof(chunk));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		buf_put(&in, chunk, (size_t)k);
		if (in.len > EXTRACT_PDF_MAX_BYTES)
			break;
	}
	if (in.len > EXTRACT_PDF_MAX_BYTES)
		rc = extract_pdf_refuse(err, sizeof(err), "The PDF is bigger "
		    "than the %zu MiB allowed.", EXTRACT_PDF_MAX_BYTES >> 20);
	else
		rc = extract_pdf(in.s != NULL ? in.s : "", in.len, &lim, probe,
		    &text, &info, err, sizeof(err));
	free(in.s);
	if (rc == 0)
		h = json_pack("{s:b, s:i, s:s}", "ok", 1, "pages", info.pages,
		    "title", info.title);
	else
		h = json_pack("{s:b, s:s}", "ok", 0, "error", err);
	head = h != NULL ? json_dumps(h, JSON_COMPACT) : NULL;
	json_decref(h);
	rc = 0;
	if (write_all(1, head != NULL ? head : "{\"ok\":false}",
	    strlen(head != NULL ? head : "{\"ok\":false}")) != 0 ||
	    write_all(1, "\n", 1) != 0)
		rc = 1;
	else if (text != NULL && write_all(1, text, strlen(text)) != 0)
		rc = 1;
	free(head);
	free(text);
	return rc;
}
