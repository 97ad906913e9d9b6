/*
 * textbox.h - how much room a label takes on the pictures gnuplot draws
 * (pngcairo and svg, DejaVu Sans): widths from the font's own advance
 * widths, so that synsim plot can keep labels apart and a test can check
 * from the data files alone that they are.
 */
#ifndef SYNSIM_TEXTBOX_H
#define SYNSIM_TEXTBOX_H

/* Width in pixels of UTF-8 text at pt points, as the 1200x800 terminals
 * draw it (a point is 4/3 pixel there: 9 pt text has a 12 px em). */
double textbox_width(const char *s, double pt);
/* The opaque box `with labels boxed` draws around such text: the text
 * and its margins (plots/ladder.gp's `set style textbox ... margins`). */
double textbox_box_w(const char *s, double pt);
double textbox_box_h(double pt);

#endif
