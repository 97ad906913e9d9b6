# ladder.gp - the ladder (sequence) diagram of one run.
#
# One vertical time axis per node, time flowing down, nodes as columns in
# the order synsim plot gives.  One arrow per packet and hop, from its
# send time at the sender to its receive time at the receiver, labelled
# with flags and relative seq/ack; a lost packet stops in a red cross;
# retransmissions are dashed; with several connections each has its
# colour (the key names them).  State changes are written along the
# axes, timers are brackets beside them, a link's outage is shaded red.
# Shaded bands are idle stretches cut out of the time axis (their label
# says how long they were); elsewhere time is to scale.  Every label's
# place is chosen by synsim plot in this script's fixed plot area (the
# margins below), where it covers no other label and no mark.  In an SVG,
# hovering over a packet shows all its fields.
#
# Input: ladder.dat as written by `synsim plot` (its comments name the
# blocks and columns).  The terminal follows the output's extension.
#   gnuplot -e "in='DIR/ladder.dat'; out='DIR/ladder.png'; title='x';
#               ncols=2; xlo=-0.9; xhi=1.9; ymin=-10; ymax=400;
#               labelled=1; unit='ms'" plots/ladder.gp
# (unit names the tick labels' unit; the y values are always ms)

if (!exists("in")) in = 'ladder.dat'
if (!exists("out")) out = 'ladder.png'
if (!exists("title")) title = 'run'
if (!exists("ncols")) ncols = 2
if (!exists("xlo")) xlo = -0.9
if (!exists("xhi")) xhi = ncols - 1 + 0.9
if (!exists("ymin")) ymin = 0
if (!exists("ymax")) ymax = 1000
if (!exists("labelled")) labelled = 1
if (!exists("unit")) unit = 'ms'
# note: a line under the title (what the focus left out);
# npairs, pnames, pcolours: the connections drawn in colours, for the key
if (!exists("note")) note = ''
if (!exists("npairs")) npairs = 0
if (!exists("pnames")) pnames = ''
if (!exists("pcolours")) pcolours = ''
if (!exists("nout")) nout = 0	# outages drawn

svg = strstrt(out, ".svg") > 0
if (svg) {
    set terminal svg size 1200,800 font "DejaVu Sans,11" noenhanced background "white" mouse standalone
} else {
    set terminal pngcairo size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
}
set output out
set encoding utf8
set datafile separator "\t"

# The plot area is fixed (synsim plot places the labels in its pixels):
# x from 0.07 to 0.985 of the page, y from 0.075 to 0.87.
set lmargin at screen 0.07
set rmargin at screen 0.985
set tmargin at screen 0.87
set bmargin at screen 0.075
set xrange [xlo:xhi]
set link x2
unset xtics
set x2tics scale 0 font ",13" offset 0,0.3
set yrange [ymax:ymin]
set ytics nomirror scale 0.5 font ",10"
set ylabel "time (" . unit . ")"
set border 2
set title title . ": ladder diagram" font ",14" offset 0,1.2
if (note ne '') {
    set label 1 note at screen 0.5, screen 0.925 center font ",10" tc "gray30"
}
set key at screen 0.5, screen 0.035 center center horizontal samplen 3 spacing 1.2 maxrows 1
set style textbox opaque noborder margins 1,0.8

is(k) = strcol(1) eq k
gone(k) = is("lost") || is("dropped")
# Labels are moved out of range, never made undefined: gnuplot 5.4.4
# crashes on a `with labels` plot whose points are all undefined.
hide = 1e9
ok(v) = v == v ? v : hide
colour = '12'
lcolour = '13'

# The key: one entry per connection when several are drawn in colours.
conns = npairs > 1 ? \
    ', for [i = 1:words(pnames)] keyentry with vectors lc rgb word(pcolours, i) lw 2 title word(pnames, i)' : ''
# The key names outages when there are some.
outages = nout > 0 ? \
    ', keyentry with boxes fs solid 0.18 noborder lc "red" title "link down"' : ''
# Every packet's fields on hover (SVG only): a faint dot at its label, or
# its middle when unlabelled.
tips = svg ? \
    ', in index 3 using (gone("x") || is("arrow") ? ($7 > -1e8 ? $7 : ($2+$4)/2) : hide):($7 > -1e8 ? $8 : ($3+$5)/2):14 with labels hypertext point pt 7 ps 1 lc rgb "#D0808080" notitle' : ''

# Bands, axes and ticks first; then arrows; labels last, on top.
plot in index 2 using ((xlo+xhi)/2):(($2+$3)/2):(xlo):(xhi):2:3 \
        with boxxyerror fs solid 0.12 noborder lc "gray40" notitle, \
     in index 7 using (($2+$3)/2):(($4+$5)/2):2:3:4:5 \
        with boxxyerror fs solid 0.18 noborder lc "red" notitle, \
     in index 0 using 2:(ymin):(0):(ymax-ymin) \
        with vectors nohead lw 2 lc "gray50" notitle, \
     in index 6 using 2:3:(0):($4-$3) \
        with vectors heads size screen 0.004,90 lw 1.2 lc "gray25" notitle, \
     in index 6 using (ok($5)):(ok($6)):7 \
        with labels font ",9" tc "gray20" notitle, \
     in index 0 using 2:(NaN):x2tic(3) axes x2y1 notitle, \
     in index 1 using (NaN):2:ytic(3) notitle, \
     in index 3 using (is("arrow") && $6 == 0 ? $2 : NaN):3:($4-$2):($5-$3):@colour \
        with vectors head filled size screen 0.009,20 lw 1.5 lc rgb variable \
        notitle, \
     in index 3 using (is("arrow") && $6 != 0 ? $2 : NaN):3:($4-$2):($5-$3):@colour \
        with vectors head filled size screen 0.009,20 lw 1.5 dt 2 \
        lc rgb variable notitle, \
     in index 3 using (gone("x") && $6 == 0 ? $2 : NaN):3:($4-$2):($5-$3):@colour \
        with vectors nohead lw 1.5 lc rgb variable notitle, \
     in index 3 using (gone("x") && $6 != 0 ? $2 : NaN):3:($4-$2):($5-$3):@colour \
        with vectors nohead lw 1.5 dt 2 lc rgb variable notitle, \
     in index 3 using (gone("x") ? $4 : NaN):5 \
        with points pt 2 ps 2.5 lw 3 lc "red" notitle, \
     in index 4 using (is("mark") ? $2 : NaN):3 \
        with points pt 7 ps 0.9 lc "dark-green" notitle, \
     in index 4 using (is("state") && $6 < 0 ? ok($4) : hide):(ok($5)):8 \
        with labels right font ",10" tc "dark-green" notitle, \
     in index 4 using (is("state") && $6 > 0 ? ok($4) : hide):(ok($5)):8 \
        with labels left font ",10" tc "dark-green" notitle, \
     in index 3 using (labelled && (is("arrow") || gone("x")) ? ok($7) : hide):(ok($8)):15:@lcolour \
        with labels boxed font ",9" tc rgb variable notitle, \
     in index 5 using (is("bandlabel") && $4 < 0 ? $2 : hide):3:5 \
        with labels right font ",9" tc "gray30" notitle, \
     in index 5 using (is("bandlabel") && $4 > 0 ? $2 : hide):3:5 \
        with labels left font ",9" tc "gray30" notitle, \
     in index 5 using (is("bandlabel") && $4 == 0 ? $2 : hide):3:5 \
        with labels center font ",9" tc "gray30" notitle, \
     keyentry with vectors head filled lw 1.5 lc rgb (npairs > 1 ? "#404040" : "#000080") title "packet", \
     keyentry with vectors head filled lw 1.5 dt 2 lc rgb (npairs > 1 ? "#404040" : "#c85a00") title "retransmission", \
     keyentry with points pt 2 ps 2 lw 3 lc "red" title "lost / dropped", \
     keyentry with points pt 7 ps 0.9 lc "dark-green" title "state change" @outages @conns @tips
