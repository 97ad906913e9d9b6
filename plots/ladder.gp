# ladder.gp - the ladder (sequence) diagram of one run.
#
# One vertical time axis per node, time flowing down, nodes as columns in
# order of first appearance.  One arrow per packet and hop, from its send
# time at the sender to its receive time at the receiver, labelled with
# flags and relative seq/ack.  A lost packet stops in a red cross;
# retransmissions are dashed orange; state changes are written along the
# axes.  Shaded bands are idle stretches cut out of the time axis (their
# label, placed by synsim plot where it covers no other, says how long
# they were); elsewhere time is to scale.
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

if (strstrt(out, ".svg") > 0) {
    set terminal svg size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
} else {
    set terminal pngcairo size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
}
set output out
set encoding utf8
set datafile separator "\t"

set xrange [xlo:xhi]
set link x2
unset xtics
set x2tics scale 0 font ",13" offset 0,0.3
set yrange [ymax:ymin]
set ytics nomirror scale 0.5 font ",10"
set ylabel "time (" . unit . ")"
set border 2
set title title . ": ladder diagram" font ",14"
set tmargin 5
set key outside bottom center horizontal samplen 3 spacing 1.2
set style textbox opaque noborder margins 1,0.8

is(k) = strcol(1) eq k
gone(k) = is("lost") || is("dropped")
# Labels are moved out of range, never made undefined: gnuplot 5.4.4
# crashes on a `with labels` plot whose points are all undefined.
hide = 1e9
ok(v) = v == v ? v : hide

# Bands, axes and ticks first; then arrows; labels last, on top.
plot in index 2 using ((xlo+xhi)/2):(($2+$3)/2):(xlo):(xhi):2:3 \
        with boxxyerror fs solid 0.12 noborder lc "gray40" notitle, \
     in index 0 using 2:(ymin):(0):(ymax-ymin) \
        with vectors nohead lw 2 lc "gray50" notitle, \
     in index 0 using 2:(NaN):x2tic(3) axes x2y1 notitle, \
     in index 1 using (NaN):2:ytic(3) notitle, \
     in index 3 using (is("arrow") && $6 == 0 ? $2 : NaN):3:($4-$2):($5-$3) \
        with vectors head filled size screen 0.009,20 lw 1.5 lc "navy" \
        title "packet", \
     in index 3 using (is("arrow") && $6 != 0 ? $2 : NaN):3:($4-$2):($5-$3) \
        with vectors head filled size screen 0.009,20 lw 1.5 dt 2 \
        lc "dark-orange" title "retransmission", \
     in index 3 using (gone("x") && $6 == 0 ? $2 : NaN):3:($4-$2):($5-$3) \
        with vectors nohead lw 1.5 lc "navy" notitle, \
     in index 3 using (gone("x") && $6 != 0 ? $2 : NaN):3:($4-$2):($5-$3) \
        with vectors nohead lw 1.5 dt 2 lc "dark-orange" notitle, \
     in index 3 using (gone("x") ? $4 : NaN):5 \
        with points pt 2 ps 3 lw 3 lc "red" title "lost / dropped", \
     in index 4 using (is("mark") ? $2 : NaN):3 \
        with points pt 7 ps 0.9 lc "dark-green" title "state change", \
     in index 4 using (is("state") && $6 < 0 ? ok($4) : hide):(ok($5)):8 \
        with labels right font ",10" tc "dark-green" notitle, \
     in index 4 using (is("state") && $6 > 0 ? ok($4) : hide):(ok($5)):8 \
        with labels left font ",10" tc "dark-green" notitle, \
     in index 3 using (labelled && is("arrow") && $6 == 0 ? ok($7) : hide):(ok($8)):11 \
        with labels boxed font ",9" tc "navy" notitle, \
     in index 3 using (labelled && is("arrow") && $6 != 0 ? ok($7) : hide):(ok($8)):11 \
        with labels boxed font ",9" tc "dark-orange" notitle, \
     in index 3 using (labelled && gone("x") ? ok($7) : hide):(ok($8)):11 \
        with labels boxed font ",9" tc "red" notitle, \
     in index 5 using (is("bandlabel") && $4 < 0 ? $2 : hide):3:5 \
        with labels right font ",9" tc "gray30" notitle, \
     in index 5 using (is("bandlabel") && $4 > 0 ? $2 : hide):3:5 \
        with labels left font ",9" tc "gray30" notitle, \
     in index 5 using (is("bandlabel") && $4 == 0 ? $2 : hide):3:5 \
        with labels center font ",9" tc "gray30" notitle
