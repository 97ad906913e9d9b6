# tseq.gp - the time-sequence graph of one connection, as tcptrace draws
# it: per direction that carried data, each segment sent is a bar from
# its first to its last sequence number at the time it left (dashed
# orange: a retransmission; a red cross: lost on the way), and the ACKs
# as they reached the sender are a green step line.
#
# Input: tseq.dat as written by `synsim plot` (blocks 0-1: a to b, 2-3:
# b to a).  The terminal follows the output's extension.
#   gnuplot -e "in='DIR/tseq.dat'; out='DIR/tseq.png'; title='x';
#               a='client'; b='server'; conn='client #1'; data_ab=10;
#               data_ba=0" plots/tseq.gp

if (!exists("in")) in = 'tseq.dat'
if (!exists("out")) out = 'tseq.png'
if (!exists("title")) title = 'run'
if (!exists("a")) a = 'a'
if (!exists("b")) b = 'b'
if (!exists("conn")) conn = 'connection'
if (!exists("data_ab")) data_ab = 1
if (!exists("data_ba")) data_ba = 0

if (strstrt(out, ".svg") > 0) {
    set terminal svg size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
} else {
    set terminal pngcairo size 1200,800 font "DejaVu Sans,11" noenhanced background "white"
}
set output out
set encoding utf8
set datafile separator "\t"

is(k) = strcol(1) eq k
n = (data_ab > 0) + (data_ba > 0)
set multiplot layout n,1 title title . ": time-sequence graph of " . conn font ",14"
set xlabel "time (s)"
set ylabel "relative sequence number (bytes)"
set grid lc "gray85"
set key inside left top samplen 2
set format y "%.0f"

do for [d = 0:1] {
    if ((d == 0 && data_ab > 0) || (d == 1 && data_ba > 0)) {
        set title (d == 0 ? a . " → " . b : b . " → " . a) . " (data sent by " . (d == 0 ? a : b) . ")" font ",12"
        plot in index 2*d using (is("seg") && $5 == 0 ? $2 : NaN):3:(0):($4-$3) \
                with vectors nohead lw 2 lc "#1f4e9c" title "segment sent", \
             in index 2*d using (is("seg") && $5 != 0 ? $2 : NaN):3:(0):($4-$3) \
                with vectors nohead lw 2 lc "#c85a00" title "retransmission", \
             in index 2*d using (is("seg") && $6 != 0 ? $2 : NaN):(($3+$4)/2) \
                with points pt 2 ps 1.5 lw 2 lc "red" title "lost on the way", \
             in index 2*d+1 using (is("ack") ? $2 : NaN):3 \
                with steps lw 1.5 lc "#2a7d3a" title "ACK received"
    }
}
unset multiplot
