# aggregate.gp - the ladder of a run too busy for arrows: a row per
# direction between two hosts, time in bins along it, each cell shaded
# by the packets that arrived in it (upper half, blue) and by those
# dropped on the way (lower half, red).
#
# Input: aggregate.dat as written by `synsim plot`.  The terminal follows
# the output's extension.
#   gnuplot -e "in='DIR/aggregate.dat'; out='DIR/aggregate.png';
#               title='x'; nrows=4; more=0; xmin=0; xmax=30; maxc=50;
#               maxd=5; binw='500 ms'" plots/aggregate.gp

if (!exists("in")) in = 'aggregate.dat'
if (!exists("out")) out = 'aggregate.png'
if (!exists("title")) title = 'run'
if (!exists("nrows")) nrows = 1
if (!exists("more")) more = 0
if (!exists("xmin")) xmin = 0
if (!exists("xmax")) xmax = 1
if (!exists("maxc")) maxc = 1
if (!exists("maxd")) maxd = 1
if (!exists("binw")) binw = '?'

if (strstrt(out, ".svg") > 0) {
    set terminal svg size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
} else {
    set terminal pngcairo size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
}
set output out
set encoding utf8
set datafile separator "\t"

t = title . ": packets per " . binw . ", each direction"
if (more > 0) { t = t . sprintf(" (the %d busiest; %d more not shown)", nrows, more) }
set title t font ",14"
set xlabel "time (s); in each row, blue above: packets that arrived; red below: packets dropped, on the way or on arrival (darkest: " . maxd . " a bin)"
set xrange [xmin:xmax]
set yrange [nrows - 0.5:-0.5]
set ytics scale 0 font ",10"
set border 3
set xtics nomirror
set grid xtics lc "gray90"
set palette defined (0 "#eef3fb", 1 "#1f4e9c")
set cbrange [0:maxc]
set cblabel "packets arrived per bin"
unset key
hide = 1e9
ok(v) = v == v ? v : hide

# red from pale to full with the drops in a bin
red(n) = 255 * 65536 + int(235 * (1 - n / maxd)) * 257
plot in index 0 using (NaN):2:ytic(3) notitle, \
     in index 1 using 3:($2-0.2):($4/2):(0.22):5 \
        with boxxyerror fs solid 1.0 noborder lc palette notitle, \
     in index 1 using ($6 > 0 ? $3 : NaN):($2+0.22):($4/2):(0.18):(red($6)) \
        with boxxyerror fs solid 1.0 noborder lc rgb variable notitle
