# sweep.gp - a parameter sweep: each metric against the sweep's first
# parameter, one line per value of the others (mean with its 95 %
# confidence interval, a shaded band from the median to the 95th
# percentile, the scenario's theory dashed in black), and the pooled
# CDF of one metric at some of the points.
#
# Called by `synsim plot DIR` on a sweep folder, which writes the data
# (sweep.dat, sweep-cdf.dat) and passes with -e:
#   dat, cdf, out     the data files and the picture (.png or .svg)
#   np, ns            metric panels; series (lines) per panel
#   metrics, series   their names, as words
#   d1.., t1..        per panel, the series with values / with a theory
#   nsets, cdfmetric  CDF panels (1, or 2 with room: the first and the
#                     last series), their metric
#   ncdf1.., cdftitles1.., cdfof1..   per CDF panel its curves, their
#                     titles, its series
#   cdflog, cdflo, cdfhi   its x range, log for values spread over decades
#   ylog, band        per panel, 1 for a log scale, for a percentile band
#   yr1.., xr         per panel its y range, and the x range
#   xlabel, xtics     the first parameter; xtics for named values
# sweep.dat: index (panel-1)*ns + series, columns x mean ci95_lo ci95_hi
# p50 p95 theory.

if (!exists("out")) out = 'sweep.png'
rows = int((np + 2) / 2)
cols = (np + 1 > 1) ? 2 : 1
if (strstrt(out, ".svg") > 0) {
    set terminal svg size 1200, 460 * rows dynamic font "DejaVu Sans,13" noenhanced
} else {
    set terminal pngcairo size 1200, 460 * rows font "DejaVu Sans,13" noenhanced
}
set output out
set datafile missing "?"
set encoding utf8

set grid lc rgb "#d0d0d0"
set border 3
set tics nomirror
set key top left Left reverse samplen 2 spacing 1.1
set style fill transparent solid 0.15 noborder
set linetype 1 lc rgb "#1f77b4" lw 2 pt 7 ps 0.9
set linetype 2 lc rgb "#d62728" lw 2 pt 5 ps 0.9
set linetype 3 lc rgb "#2ca02c" lw 2 pt 9 ps 1.0
set linetype 4 lc rgb "#ff7f0e" lw 2 pt 11 ps 1.0
set linetype 5 lc rgb "#9467bd" lw 2 pt 13 ps 1.0
set linetype 6 lc rgb "#8c564b" lw 2 pt 7 ps 0.9
set linetype 7 lc rgb "#17becf" lw 2 pt 5 ps 0.9
set linetype cycle 7

set multiplot layout rows, cols margins 0.07, 0.97, 0.08, 0.94 spacing 0.09, 0.13

# Words for the built-in metrics; others keep their names.
label(n) = n eq "conn.handshake_ms" ? "handshake time per connection (ms)" : \
           n eq "conn.connected" ? "share of connections established" : n

do for [m = 1:np] {
    name = label(word(metrics, m))
    dl = value(sprintf("d%d", m))
    tl = value(sprintf("t%d", m))
    set title name font ",15"
    set xlabel xlabel
    unset ylabel	# the title says it
    if (strlen(xtics) > 0) { eval "set xtics " . xtics } else { set xtics autofreq }
    if (word(ylog, m) eq "1") { set logscale y } else { unset logscale y }
    eval "set xrange " . xr
    eval "set yrange " . value(sprintf("yr%d", m))
    # The plot command is built element by element: gnuplot draws an
    # empty `plot for` loop once all the same, and a block with nothing
    # in it makes it warn.
    cmd = ""
    do for [k = 1:(word(band, m) eq "1" ? words(dl) : 0)] {
        s = word(dl, k) + 0
        cmd = cmd . sprintf("dat index %d using 1:5:6 with filledcurves lt %d title '%s', ", \
                            (m - 1) * ns + s, s + 1, k == 1 ? "median to p95 (shaded)" : "")
    }
    do for [k = 1:words(dl)] {
        s = word(dl, k) + 0
        cmd = cmd . sprintf("dat index %d using 1:2:3:4 with yerrorlines lt %d title '%s', ", \
                            (m - 1) * ns + s, s + 1, ns > 1 ? word(series, s + 1) : "mean, 95 % CI")
    }
    do for [k = 1:words(tl)] {
        s = word(tl, k) + 0
        cmd = cmd . sprintf("dat index %d using 1:7 with lines dt 2 lw 2.5 lc rgb 'black' title '%s', ", \
                            (m - 1) * ns + s, ns > 1 ? "theory, " . word(series, s + 1) : "theory")
    }
    eval "plot " . cmd[1:strlen(cmd) - 2]
}

set xtics autofreq
unset logscale y
set xrange [cdflo:cdfhi]
set yrange [0:1.02]
set xlabel label(cdfmetric)
set format x "%.7g"
set ylabel "fraction of values ≤ x" offset 1, 0
set key inside bottom right Right noreverse opaque box lc rgb "#e0e0e0"
if (cdflog) { set logscale x }
first = 0
do for [c = 1:nsets] {
    n = value(sprintf("ncdf%d", c))
    of = value(sprintf("cdfof%d", c))
    titles = value(sprintf("cdftitles%d", c))
    set title "CDF" . (strlen(of) > 0 ? ", " . of : "") font ",15"
    plot for [k = 1:n] cdf index (first + k - 1) using 1:2 with steps \
         lt k lw 2 title word(titles, k)
    first = first + n
}
unset multiplot
