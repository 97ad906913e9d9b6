/*
 * textbox.c - label sizes for plot.c's placement and its tests.
 *
 * The advance widths of DejaVu Sans (units of 1/2048 em) for printable
 * ASCII; anything else (the arrows and ellipsis of state chains) is taken
 * as the widest of those, so an estimate errs on the side of room.
 * Checked against pngcairo's rendering of the labels synsim writes: the
 * estimate is within a pixel or two of the inked width.
 */
#include "textbox.h"

static const unsigned short advance[95] = {
	/* ' ' .. '/' */
	651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651,
	739, 651, 690,
	/* '0' .. '9' */
	1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,
	/* ':' .. '@' */
	690, 690, 1716, 1716, 1716, 1087, 2048,
	/* 'A' .. 'Z' */
	1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141,
	1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403,
	1251, 1403,
	/* '[' .. '`' */
	799, 690, 799, 1716, 1024, 1024,
	/* 'a' .. 'z' */
	1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569,
	1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212,
	1212, 1075,
	/* '{' .. '~' */
	1300, 690, 1300, 1716,
};

double
textbox_width(const char *s, double pt)
{
	/* The renderer's hinting puts each glyph on whole pixels. */
	double em = pt * 4.0 / 3.0, px = 0;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (*c >= 32 && *c < 127)
			px += (double)(int)(advance[*c - 32] * em / 2048.0 + 0.5);
		else if ((*c & 0xc0) != 0x80)	/* a character's first byte */
			px += (double)(int)(em + 0.5);
	}
	return px;
}

/* `margins 1,0.8` (plots/ladder.gp): four pixels a side as drawn at 9 pt,
 * and a box 18 pixels tall, measured on the PNG. */
double
textbox_box_w(const char *s, double pt)
{
	return textbox_width(s, pt) + 8.0 * pt / 9.0;
}

double
textbox_box_h(double pt)
{
	return 18.0 * pt / 9.0;
}
