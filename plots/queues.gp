# queues.gp - a listener's queues over time, the SYN-flood lesson: its
# half-open (SYN) queue and, when the run recorded it, its accept queue,
# as steps on the left axis; the SYN cookies it sent and the SYNs it
# dropped, per second, on the right.
#
# Input: queues.dat as written by `synsim plot` (its comments name the
# blocks and columns).  The terminal follows the output's extension.
#   gnuplot -e "in='DIR/queues.dat'; out='DIR/queues.png'; title='x';
#               listener='server'; xmax=40; maxq=64; accept=0;
#               cookies=0; drops=5; source='...'" plots/queues.gp

if (!exists("in")) in = 'queues.dat'
if (!exists("out")) out = 'queues.png'
if (!exists("title")) title = 'run'
if (!exists("listener")) listener = 'server'
if (!exists("xmax")) xmax = 10
if (!exists("maxq")) maxq = 1
if (!exists("accept")) accept = 0
if (!exists("cookies")) cookies = 0
if (!exists("drops")) drops = 0
if (!exists("source")) source = 'states.csv'

if (strstrt(out, ".svg") > 0) {
    set terminal svg size 1200,600 font "DejaVu Sans,11" noenhanced background "white"
} else {
    set terminal pngcairo size 1200,600 font "DejaVu Sans,11" noenhanced background "white"
}
set output out
set encoding utf8
set datafile separator "\t"

set title title . ": queues of listener " . listener font ",14"
set xlabel "time (s)"
set ylabel "connections in the queue"
set xrange [0:xmax]
set yrange [0:(maxq > 0 ? maxq * 1.15 + 1 : 1)]
set ytics nomirror
if (cookies + drops > 0) {
    set y2label "per second"
    set y2range [0:*]
    set y2tics
}
set grid ytics lc "gray85"
set border 11
set key outside bottom center horizontal samplen 3
set style fill solid 0.35 noborder

is(k) = strcol(1) eq k
rates = ''
if (cookies > 0) {
    rates = rates . ', in index 2 using 2:4:3 axes x1y2 with boxes lc "#2a7d3a" title sprintf("SYN cookies sent /s (%d)", cookies)'
}
if (drops > 0) {
    rates = rates . ', in index 2 using 2:5:3 axes x1y2 with boxes lc "#e00000" title sprintf("SYNs dropped, queue full /s (%d)", drops)'
}
acc = accept ? ', in index 1 using 2:3 with steps lw 2 lc "#7b3294" title "accept queue"' : ''

plot in index 0 using 2:3 with steps lw 2.5 lc "#1f4e9c" \
        title "SYN queue (half-open: " . source . ")" @acc @rates
