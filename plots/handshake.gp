# handshake.gp - how long the handshakes of a run took: a histogram of
# the active opens' times from connect() to ESTABLISHED, and their
# cumulative distribution on the right axis.
#
# Input: handshake.dat as written by `synsim plot` (its comments name the
# blocks and columns).  The terminal follows the output's extension.
#   gnuplot -e "in='DIR/handshake.dat'; out='DIR/handshake.png'; title='x';
#               stats='12 connections, median 100 ms';
#               maxcount=5; xmin=0; xmax=200" plots/handshake.gp

if (!exists("in")) in = 'handshake.dat'
if (!exists("out")) out = 'handshake.png'
if (!exists("title")) title = 'run'
if (!exists("stats")) stats = ''
if (!exists("maxcount")) maxcount = 10

if (strstrt(out, ".svg") > 0) {
    set terminal svg size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
} else {
    set terminal pngcairo size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
}
set output out
set datafile separator "\t"

set title title . ": handshake times (" . stats . ")" font ",14"
set xlabel "handshake time, connect() to ESTABLISHED (ms)"
set ylabel "connections"
set y2label "fraction of connections (CDF)"
if (exists("xmin")) { set xrange [xmin:xmax] }
set yrange [0:*]
set y2range [0:1.05]
set ytics nomirror
if (maxcount <= 10) { set ytics 1 }
set y2tics 0.1
set grid y2tics lc "gray85"
set key outside bottom center horizontal
set style fill solid 0.6 border lc "steelblue"

plot in index 0 using 2:4:3 with boxes lc "steelblue" title "connections per bin", \
     in index 1 using 2:3 axes x1y2 with steps lw 2 lc "dark-red" title "cumulative fraction"
