/*
 * html.h - `synsim view DIR`: the run in DIR as one HTML page,
 * DIR/view.html, that a browser opens from disk with nothing else: the
 * ladder drawn in inline SVG by a small script, the run's files embedded
 * in it as JSON.
 */
#ifndef SYNSIM_VIEW_HTML_H
#define SYNSIM_VIEW_HTML_H

#include <stdbool.h>
#include <stddef.h>

/* The command: argv after "view".  Exit status: 0, or 2 after a
 * message. */
int view_main(int argc, char **argv);

/* Write dir/view.html from the run's files in dir.  0, or -1 with the
 * reason (naming the file) in err. */
int view_write(const char *dir, char *err, size_t errlen);

/* Whether name is a file synsim view writes: a new run into the folder
 * removes it, drawn from an older run. */
bool view_output_name(const char *name);

#endif
