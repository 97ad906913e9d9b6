/*
 * pool.c - the worker processes of a sweep (see pool.h): one poll loop
 * over the pipes from the workers, INFLIGHT runs queued in each so that
 * none waits for the parent to be scheduled between two runs.
 */
#define _POSIX_C_SOURCE 200809L
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define INFLIGHT 16	/* runs queued per worker: none waits for the parent */

struct pool_worker {
	pid_t pid;
	int to, from;		/* -1 when closed */
	long run[INFLIGHT];	/* in the order sent */
	int n;
	char *buf;
	size_t len, cap;
};

static int
spawn(struct sw_pool *pl, int k)
{
	int down[2], up[2];
	if (pipe(down) < 0)
		return -1;
	if (pipe(up) < 0) {
		close(down[0]);
		close(down[1]);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(down[0]);
		close(down[1]);
		close(up[0]);
		close(up[1]);
		return -1;
	}
	if (pid == 0) {
		/* Only its own ends stay open: another worker's pipe held
		 * here would hide that worker's end from the parent. */
		for (int i = 0; i < pl->nw; i++) {
			if (pl->w[i].to >= 0)
				close(pl->w[i].to);
			if (pl->w[i].from >= 0)
				close(pl->w[i].from);
		}
		close(down[1]);
		close(up[0]);
		int dn = open("/dev/null", O_WRONLY);
		if (dn >= 0) {
			dup2(dn, STDOUT_FILENO);
			close(dn);
		}
		signal(SIGPIPE, SIG_DFL);
		worker_loop(pl->spec, down[0], up[1]);
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	fcntl(down[1], F_SETFD, FD_CLOEXEC);
	fcntl(up[0], F_SETFD, FD_CLOEXEC);
	struct pool_worker *w = &pl->w[k];
	w->pid = pid;
	w->to = down[1];
	w->from = up[0];
	w->n = 0;
	w->len = 0;	/* a dead predecessor's half record is no use */
	return 0;
}

static void
feed(struct sw_pool *pl, struct pool_worker *w)
{
	while (w->to >= 0 && w->n < INFLIGHT && pl->ntodo > 0) {
		int64_t r = pl->todo[pl->ntodo - 1];
		if (write(w->to, &r, sizeof r) != (ssize_t)sizeof r)
			return;	/* it died: its EOF says so */
		pl->ntodo--;
		w->run[w->n++] = (long)r;
	}
	if (pl->ntodo == 0 && w->n == 0 && w->to >= 0) {
		close(w->to);	/* nothing more: the worker ends */
		w->to = -1;
	}
}

/* The worker's end: the run it was on when it died (if any) is recorded
 * as failed, the others it held go back to be run. */
static void
reap(struct sw_pool *pl, struct pool_worker *w, struct sw_table *t)
{
	int st = 0;
	if (w->to >= 0)
		close(w->to);
	close(w->from);
	w->to = w->from = -1;
	waitpid(w->pid, &st, 0);
	if (w->n > 0) {
		struct sw_run *r = &t->runs[w->run[0]];
		char msg[160];
		if (WIFSIGNALED(st))
			snprintf(msg, sizeof msg, "%s (signal %d: %s)", POOL_CRASHED,
			         WTERMSIG(st), strsignal(WTERMSIG(st)));
		else
			snprintf(msg, sizeof msg, "%s (its process ended with exit "
			         "status %d)", POOL_CRASHED,
			         WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		table_run_clear(r);
		r->status = 2;
		r->error = strdup(msg);
		r->seed = grid_seed(pl->spec->g, w->run[0] / pl->spec->reps,
		                    (int)(w->run[0] % pl->spec->reps), pl->spec->seed);
		r->done = true;
		for (int i = w->n - 1; i >= 1; i--)
			pl->todo[pl->ntodo++] = w->run[i];
	}
	w->n = 0;
	w->pid = -1;
}

/* Take whole records out of w's buffer. */
static int
drain(struct sw_pool *pl, struct pool_worker *w, struct sw_table *t)
{
	size_t at = 0;
	while (w->len - at >= sizeof(uint32_t)) {
		uint32_t n;
		memcpy(&n, w->buf + at, sizeof n);
		if (w->len - at - sizeof n < n)
			break;
		struct sw_run rec = { 0 };
		long r;
		if (worker_decode(w->buf + at + sizeof n, n, &r, &rec) < 0 ||
		    w->n == 0 || r != w->run[0]) {
			table_run_clear(&rec);
			fputs("synsim: a worker sent a record that makes no sense\n",
			      stderr);
			return -1;
		}
		memmove(w->run, w->run + 1, sizeof w->run[0] * (size_t)(w->n - 1));
		w->n--;
		table_run_clear(&t->runs[r]);
		t->runs[r] = rec;
		pl->done++;
		pl->failed += rec.status != 0;
		at += sizeof n + n;
	}
	memmove(w->buf, w->buf + at, w->len - at);
	w->len -= at;
	return 0;
}

int
pool_run(struct sw_pool *pl, struct sw_table *t)
{
	int rc = 0, live = 0;
	struct pollfd *fds = calloc((size_t)pl->nw, sizeof *fds);
	pl->w = calloc((size_t)pl->nw, sizeof *pl->w);
	if (fds == NULL || pl->w == NULL) {
		free(fds);
		free(pl->w);
		pl->w = NULL;
		return -1;
	}
	for (int k = 0; k < pl->nw; k++)
		pl->w[k] = (struct pool_worker){ .pid = -1, .to = -1, .from = -1 };
	for (int k = 0; k < pl->nw && rc == 0; k++) {
		if (spawn(pl, k) < 0) {
			fprintf(stderr, "synsim: cannot start a worker: %s\n",
			        strerror(errno));
			rc = -1;
		} else {
			live++;
			feed(pl, &pl->w[k]);
		}
	}
	while (rc == 0 && live > 0) {
		for (int k = 0; k < pl->nw; k++)
			fds[k] = (struct pollfd){ .fd = pl->w[k].from, .events = POLLIN };
		if (poll(fds, (nfds_t)pl->nw, 200) < 0 && errno != EINTR) {
			rc = -1;
			break;
		}
		for (int k = 0; k < pl->nw && rc == 0; k++) {
			struct pool_worker *w = &pl->w[k];
			if (w->from < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (w->cap - w->len < 65536) {
				size_t cap = w->cap ? 2 * w->cap : 131072;
				char *b = realloc(w->buf, cap);
				if (b == NULL) {
					rc = -1;
					break;
				}
				w->buf = b;
				w->cap = cap;
			}
			ssize_t got = read(w->from, w->buf + w->len, w->cap - w->len);
			if (got < 0 && errno == EINTR)
				continue;
			if (got > 0) {
				w->len += (size_t)got;
				rc = drain(pl, w, t);
			} else {
				bool crashed = w->n > 0;
				reap(pl, w, t);
				live--;
				if (crashed) {
					pl->done++;
					pl->failed++;
				}
				if (pl->ntodo > 0) {
					if (spawn(pl, k) < 0) {
						rc = -1;
						break;
					}
					live++;
				}
			}
			feed(pl, w);
		}
		if (rc == 0)
			rc = pl->after(pl->ctx);
	}
	for (int k = 0; k < pl->nw; k++) {
		struct pool_worker *w = &pl->w[k];
		if (w->pid > 0) {
			if (w->to >= 0)
				close(w->to);
			if (w->from >= 0)
				close(w->from);
			kill(w->pid, SIGTERM);
			waitpid(w->pid, NULL, 0);
		}
		free(w->buf);
	}
	free(fds);
	free(pl->w);
	pl->w = NULL;
	return rc;
}

