/*
 * stage.h - a run's outputs all or nothing.
 *
 * Every output of a run is written into a staging folder beside the
 * output folder (same file system, so moving a file is a rename) and
 * moved into the output folder only once the whole run has succeeded and
 * every file is complete.  A run that fails removes the staging folder:
 * the output folder keeps exactly what an earlier run left there.  Files
 * in the output folder that the run does not write are never touched
 * here (run.c decides which of synsim's own earlier files go stale).
 */
#ifndef SYNSIM_STAGE_H
#define SYNSIM_STAGE_H

#include <stdbool.h>

struct stage {
	char *dir;		/* the output folder, as given */
	char *tmp;		/* the staging folder */
	bool existed;		/* dir was there before the run */
	bool moved_some;	/* a commit that failed had moved files */
};

/* Create the staging folder for dir: "PARENT/.NAME.synsim-PID", or inside
 * dir when dir is a mount point (a rename cannot cross into it).  0, or
 * -1 with errno set (nothing left behind). */
int stage_open(struct stage *s, const char *dir);
/* Move every file of the staging folder into dir (created if missing),
 * then remove the staging folder.  0, or -1 after a message on stderr. */
int stage_commit(struct stage *s);
/* Remove the staging folder and whatever is in it; a no-op after
 * stage_commit or on a stage never opened. */
void stage_abort(struct stage *s);
/* Release the names (after commit or abort). */
void stage_free(struct stage *s);
/* Whether dir holds any of these file names (NULL-terminated list). */
bool stage_dir_has(const char *dir, const char *const *names);

#endif
