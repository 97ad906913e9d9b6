# states.gp - the TCP state timeline of one run: one row per connection
# (host #conn), a bar per state coloured by state and named where the
# name fits; a state held too briefly to see is drawn a few pixels wide
# and named above its row.  The time axis is the ladder's: shaded bands
# are idle stretches cut out of it, their lengths in a lane below.
#
# Input: states.dat as written by `synsim plot` (its comments name the
# blocks and columns).  The terminal follows the output's extension.
#   gnuplot -e "in='DIR/states.dat'; out='DIR/states.png'; title='x';
#               nrows=2; xmin=-10; xmax=400; present='3 5'; more=0;
#               unit='ms'" (the tick labels' unit; the x values are ms)
#           plots/states.gp

if (!exists("in")) in = 'states.dat'
if (!exists("out")) out = 'states.png'
if (!exists("title")) title = 'run'
if (!exists("nrows")) nrows = 1
if (!exists("xmin")) xmin = 0
if (!exists("xmax")) xmax = 1000
if (!exists("present")) present = ''
if (!exists("more")) more = 0
if (!exists("unit")) unit = 'ms'
if (!exists("lead")) lead = ''	# which rows come first, when not all fit

if (strstrt(out, ".svg") > 0) {
    set terminal svg size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
} else {
    set terminal pngcairo size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
}
set output out
set encoding utf8
set datafile separator "\t"

# One colour per state, in the order of synsim's state numbers (+1):
# ColorBrewer's Set3, chosen so that states met in a row differ at a
# glance (SYN-SENT orange, SYN-RECEIVED red, ESTABLISHED green, TIME-WAIT
# yellow), light enough for black names on them.
names = "CLOSED LISTEN SYN-SENT SYN-RECEIVED ESTABLISHED CLOSE-WAIT " . \
        "FIN-WAIT-1 CLOSING LAST-ACK FIN-WAIT-2 TIME-WAIT"
colours = "#d9d9d9 #ccebc5 #fdb462 #fb8072 #b3de69 #80b1d3 " . \
          "#8dd3c7 #fccde5 #bc80bd #bebada #ffed6f"
do for [i = 1:11] {
    set linetype i lc rgb word(colours, i)
}

# A lane under the rows, about 30 pixels, for the idle bands' lengths:
# written over the bars, they hid them.
lane = nrows * 0.045 / 0.955
set xrange [xmin:xmax]
set yrange [nrows - 0.5 + lane : -0.5]
set xlabel "time (" . unit . "); shaded: idle stretches cut out of the axis, not to scale"
set ytics scale 0 font ",11"
set xtics nomirror scale 0.5 font ",10"
set border 3
set grid xtics lc "gray85"
set key outside right top title "state" samplen 2
t = title . ": TCP states per connection"
if (more > 0) {
    t = t . sprintf(" (%d of %d rows%s; %d more not shown)", nrows, \
                    nrows + more, lead eq '' ? '' : ', ' . lead, more)
}
set title t font ",14"
# Labels are moved out of range, never made undefined: gnuplot 5.4.4
# crashes on a `with labels` plot whose points are all undefined.
hide = 1e9
ok(v) = v == v ? v : hide
# The key names the states drawn; a window with no bar has none (an empty
# `for [s in present]` is an error, so the clause is left out).
keys = present eq '' ? '' : \
       ', for [s in present] keyentry with boxes fs solid 1.0 lc int(s) ' . \
       'title word(names, int(s))'

# Its length without "(not to scale)", which the axis title says once.
short(s) = strstrt(s, " (") > 0 ? s[1:strstrt(s, " (") - 1] : s

plot in index 2 using (($2+$3)/2):((nrows-1+lane)/2.0):2:3:(-0.5):(nrows-0.5+lane) \
        with boxxyerror fs solid 0.12 noborder lc "gray40" notitle, \
     in index 0 using (NaN):2:ytic(3) notitle, \
     in index 1 using 2:(NaN):xtic(3) notitle, \
     in index 3 using (($3+$4)/2):2:3:4:($2-0.3):($2+0.3):5 \
        with boxxyerror fs solid 1.0 border lc "gray30" lc variable notitle, \
     in index 3 using (ok(($3+$4)/2)):(ok($2)):8 with labels font ",10" notitle, \
     in index 4 using (ok($2)):(ok($3)):4 with labels left offset 0,0.7 font ",9" notitle, \
     in index 2 using (ok(($2+$3)/2)):(nrows - 0.5 + lane/2):(short(strcol(4))) \
        with labels center font ",9" tc "gray30" notitle @keys
