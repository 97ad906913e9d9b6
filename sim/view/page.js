/*
 * page.js - the script of `synsim view`: draws the run embedded in the
 * page as a ladder in SVG and replays it event by event.
 *
 * The run's events are the rows of packets.csv and states.csv merged by
 * event_no, the order they happened in.  A step is one of them.  The
 * variables of a connection at a step are replayed from the start: its
 * SND.UNA, SND.NXT and RCV.NXT from the segments it sent and received
 * (relative numbers, as the CSV gives them), its RTO and pending timers
 * from explain.csv.
 *
 * Only what is on screen is drawn once a run has more than DRAW_ALL
 * items (a SYN flood has tens of thousands): the items are kept sorted
 * by where they start and the window's slice is drawn on scroll.
 *
 * The page writes its state into the DOM for tests: #status carries
 * data-step, data-event-no, data-row, data-kind; each packet row is a
 * <g class="pkt" data-row=N>.  URL fragment #step=N opens at step N,
 * #packet=R with packet row R's details shown.
 */
'use strict';
(function () {

const DRAW_ALL = 4000;		/* items drawn without windowing */
const BAND_PX = 44;		/* height of a cut idle stretch */
const HOP_PX = 64;		/* a typical hop's height at zoom 1 */
const CUT_HOPS = 4;		/* idle for longer than this many hops: cut */
const LABEL_GAP = 13;		/* px between labels of one lane */
const MAX_CHAIN = 3;		/* states in one label, the last ones */
/* Okabe-Ito hues darkened to 5:1 or more on white: labels are text. */
const PALETTE = ['#0072b2', '#b84f00', '#007a5a', '#a8508a', '#7a5c00',
                 '#000000', '#6a3d9a'];
const OTHER_COLOUR = '#6b6b6b';
const PLAY_MS = 900;

const $ = (id) => document.getElementById(id);

function esc(s) {
	return String(s).replace(/[&<>"']/g, (c) => ({
		'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'
	})[c]);
}

/* 1100096000 -> "1.100096 s" (exact: integer arithmetic on the digits). */
function fmtTime(ns) {
	const neg = ns < 0;
	let s = String(Math.abs(ns)).padStart(10, '0');
	const sec = s.slice(0, s.length - 9), frac = s.slice(s.length - 9);
	let f = frac.slice(0, 6);
	if (frac.slice(6) !== '000')
		f = frac.replace(/0+$/, '');
	return (neg ? '-' : '') + sec + '.' + f + ' s';
}

/* A duration for people: "950 ms", "60 s", "1.2 ms". */
function fmtDur(ns) {
	const units = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs'], [1, 'ns']];
	for (const [u, name] of units) {
		if (Math.abs(ns) >= u || u === 1) {
			const v = ns / u;
			return (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1).replace(/\.0$/, '')
			        : v.toFixed(2).replace(/\.?0+$/, '')) + ' ' + name;
		}
	}
	return ns + ' ns';
}

function fail(msg) {
	const e = $('error');
	e.hidden = false;
	e.textContent = 'synsim view: ' + msg;
	console.error('synsim view: ' + msg);
}

/* ---- the run -------------------------------------------------------------- */

let D;
try {
	D = JSON.parse($('run-data').textContent);
} catch (e) {
	fail('the embedded run does not parse: ' + e.message);
	return;
}

function table(t) {
	if (!t)
		return [];
	const ix = {};
	t.cols.forEach((c, i) => { ix[c] = i; });
	return t.rows.map((r) => {
		const o = {};
		for (const c in ix)
			o[c] = r[ix[c]];
		return o;
	});
}

const num = (s) => (s === '' || s === undefined ? null : Number(s));

const P = table(D.packets).map((r, i) => ({
	i, t: num(r.t_ns), id: r.pkt_id, at: r.at, link: r.link,
	hop: r.hop_to, from: r.from, to: r.to, ev: r.event, flags: r.flags,
	seq: r.seq, ack: r.ack, rseq: num(r.rel_seq), rack: num(r.rel_ack),
	len: num(r.len) || 0, wnd: r.wnd, ttl: r.ttl, opts: r.options,
	reason: r.reason, rule: r.rule, dup: r.dup_of,
	no: num(r.event_no), retx: r.retx === '1', raw: r
}));
const S = table(D.states).map((r, i) => ({
	i, t: num(r.t_ns), host: r.host, conn: r.conn, from: r.from_state,
	to: r.to_state, cause: r.cause, rule: r.rule, no: num(r.event_no),
	peer: r.peer
}));
const X = table(D.explain);
let summary = null;
if (D.summary) {
	try {
		summary = JSON.parse(D.summary);
	} catch (e) {
		summary = null;	/* the header goes without it */
	}
}

/* Event order: event_no when the files have it, else time. */
const steps = [];
P.forEach((p) => steps.push({ kind: 'packet', r: p, t: p.t, no: p.no }));
S.forEach((s) => steps.push({ kind: 'state', r: s, t: s.t, no: s.no }));
steps.sort((a, b) => (a.no !== null && b.no !== null ? a.no - b.no : a.t - b.t));

/* Arrival rules, by the event_no of the recv row; timers in order. */
const arrivalRule = new Map();
const timers = [];
for (const x of X) {
	if (x.event === 'arrival')
		arrivalRule.set(num(x.event_no), x.rule);
	else
		timers.push({ t: num(x.t_ns), host: x.host, conn: x.conn,
		              op: x.event.replace('timer-', ''), name: x.timer,
		              deadline: num(x.deadline_ns), rto: num(x.rto_ns),
		              no: num(x.event_no) });
}

/* ---- connections ------------------------------------------------------------ */

/* Each packet's addresses and ports, from trace.pcapng (records in the
 * order packets were sent; a duplicate answers to its original's). */
const rec = new Map();
if (D.pcap) {
	let k = 0;
	for (const p of P) {
		if (p.ev === 'send' && !rec.has(p.id) && k < D.pcap.length) {
			const c = D.pcap[k++];
			rec.set(p.id, { src: c[0] + ':' + c[1], dst: c[2] + ':' + c[3],
			                comment: c[4] });
		} else if (p.ev === 'dup' && rec.has(p.dup)) {
			rec.set(p.id, rec.get(p.dup));
		}
	}
}
const conns = (summary && summary.connections) || [];
const byPorts = D.pcap && conns.length > 0 && conns.every((c) => c.local && c.remote);
const pairKey = (a, b) => (a < b ? a + ' ' + b : b + ' ' + a);

/* A flow: one conversation (a 4-tuple, or a pair of hosts when the run
 * has no capture), with the connections (TCBs) at its ends. */
const flows = new Map();
function flow(key) {
	let f = flows.get(key);
	if (!f) {
		f = { key, conns: [], steps: [], n: 0, on: true, colour: OTHER_COLOUR };
		flows.set(key, f);
	}
	return f;
}
const connOf = new Map();	/* "host#conn" -> conn record */
for (const c of conns) {
	const key = byPorts ? pairKey(c.local, c.remote) : pairKey(c.host, c.remote_host || '');
	const cr = { host: c.host, conn: String(c.conn), local: c.local,
	             remote: c.remote, passive: c.passive, opened: c.opened_ns,
	             summary: c, flow: null };
	connOf.set(c.host + '#' + c.conn, cr);
	if (byPorts) {
		cr.flow = flow(key);
		cr.flow.conns.push(cr);
	}
}
/* Without ports: a connection is known by its host and peer. */
for (const s of S) {
	const k = s.host + '#' + s.conn;
	let cr = connOf.get(k);
	if (!cr) {
		cr = { host: s.host, conn: s.conn, flow: null, opened: s.t };
		connOf.set(k, cr);
	}
	if (!cr.flow) {
		cr.flow = flow(pairKey(s.host, s.peer || '?'));
		cr.flow.conns.push(cr);
	}
}
function packetFlow(p) {
	const r = rec.get(p.id);
	if (byPorts && r)
		return flow(pairKey(r.src, r.dst));
	return flow(pairKey(p.from, p.to));
}
steps.forEach((st, k) => {
	st.k = k;
	st.flow = st.kind === 'packet' ? packetFlow(st.r) :
	          connOf.get(st.r.host + '#' + st.r.conn).flow;
	st.flow.steps.push(k);
	st.flow.n++;
});
/* The connection of a flow on a host at time t (a 4-tuple can be used
 * again once the first connection is gone: the latest opened by t). */
function connAt(f, host, t) {
	let best = null;
	for (const c of f.conns)
		if (c.host === host && (c.opened === undefined || c.opened <= t) &&
		    (best === null || (c.opened || 0) >= (best.opened || 0)))
			best = c;
	if (best === null)
		for (const c of f.conns)
			if (c.host === host)
				return c;
	return best;
}
const named = [...flows.values()].filter((f) => f.conns.length > 0);
named.forEach((f, i) => { f.colour = PALETTE[i % PALETTE.length]; });
const others = [...flows.values()].filter((f) => f.conns.length === 0);

function flowLabel(f) {
	if (f.conns.length === 0)
		return null;
	const c = f.conns.find((x) => x.passive === false) || f.conns[0];
	const ends = f.conns.map((x) => x.host + ' #' + x.conn).join(', ');
	if (c.local && c.remote && c.passive && f.conns.length === 1)
		return c.remote + ' \u2192 ' + c.host + ':' + c.local.split(':').pop() + '  (' + ends + ')';
	if (c.local && c.remote) {
		const peer = f.conns.find((x) => x !== c);
		const lhs = c.host + ':' + c.local.split(':').pop();
		const rhs = (peer ? peer.host : c.remote.split(':')[0]) + ':' + c.remote.split(':').pop();
		return lhs + ' \u2192 ' + rhs + '  (' + ends + ')';
	}
	return ends;
}

/* ---- columns ------------------------------------------------------------------ */

const links = new Set(P.map((p) => p.link).filter((l) => l));
const nodeInfo = new Map();
function node(name) {
	if (!nodeInfo.has(name))
		nodeInfo.set(name, { name, first: nodeInfo.size, opens: false,
		                     syns: false, fwd: false, states: false });
	return nodeInfo.get(name);
}
for (const p of P) {
	if (!(p.ev === 'drop' && links.has(p.at)) && p.ev !== 'dup')
		node(p.at);
	if (p.hop)
		node(p.hop);
	if (p.ev === 'forward')
		node(p.at).fwd = true;
	if (p.ev === 'send' && p.flags === 'SYN')
		node(p.at).syns = true;
}
for (const s of S) {
	node(s.host).states = true;
	if (s.to === 'SYN-SENT')
		node(s.host).opens = true;
}
/* As `synsim plot` reads a path: clients, flooders, routers, the rest. */
const rank = (n) => (n.opens ? 0 : n.syns && !n.states ? 1 : n.fwd ? 2 : 3);
const allCols = [...nodeInfo.values()].sort((a, b) => rank(a) - rank(b) || a.first - b.first);
const hasRouters = allCols.some((n) => n.fwd);
if (!hasRouters)
	$('routers-label').hidden = true;

/* ---- view state ------------------------------------------------------------------ */

const V = {
	axis: 'cut', zoom: 1, routers: true, step: -1, sel: null,
	cols: [], x: new Map(), width: 800, height: 400, items: [],
	windowed: false, drawn: null, playing: null, heads: {}
};

/* Packets of one hop: from a send or forward row to the row that ends
 * the hop (a recv, a forward, a drop) for the same packet id. */
const rowsById = new Map();
for (const p of P) {
	if (!rowsById.has(p.id))
		rowsById.set(p.id, []);
	rowsById.get(p.id).push(p);
}
function hopEnd(p) {
	const rows = rowsById.get(p.id);
	for (let j = rows.indexOf(p) + 1; j < rows.length; j++) {
		const q = rows[j];
		if (q.ev === 'recv' || q.ev === 'forward' ||
		    (q.ev === 'drop' && (q.at === p.hop || q.at === p.link ||
		                         (!p.hop && q.at === p.at))))
			return q;
	}
	return null;
}
/* The last row of a packet's journey: its arrival or its loss. */
function journeyEnd(p) {
	const rows = rowsById.get(p.id);
	let end = null;
	for (let j = rows.indexOf(p) + 1; j < rows.length; j++)
		if (rows[j].ev === 'recv' || rows[j].ev === 'drop')
			end = rows[j];
	return end;
}
/* Where a duplicate's copy started: its original's last hop start. */
function dupStart(p) {
	const rows = rowsById.get(p.dup) || [];
	let s = null;
	for (const q of rows)
		if ((q.ev === 'send' || q.ev === 'forward') && q.link === p.link && q.no < p.no)
			s = q;
	return s;
}
P.forEach((p) => {
	p.end = (p.ev === 'send' || p.ev === 'forward') ? hopEnd(p) : null;
	p.start = null;
	if (p.ev === 'dup') {
		p.start = dupStart(p);
		p.end = null;
		const rows = rowsById.get(p.id);
		for (const q of rows)
			if (q.ev === 'recv' || q.ev === 'forward' || q.ev === 'drop') {
				p.end = q;
				break;
			}
	}
});
for (const p of P)
	if (p.end && (p.ev === 'send' || p.ev === 'forward'))
		p.end.hopStart = p;

/* A typical hop: the median send-to-arrival time. */
const hopNs = (() => {
	const d = P.filter((p) => p.end && p.end.ev !== 'drop' && p.end.t > p.t)
	           .map((p) => p.end.t - p.t).sort((a, b) => a - b);
	return d.length ? d[d.length >> 1] : 1e6;
})();

/* ---- layout: time to y ------------------------------------------------------------ */

let times = [], ys = [], bands = [];
function layoutTime() {
	const ts = new Set();
	for (const st of steps)
		if (st.flow.on)
			ts.add(st.t);
	times = [...ts].sort((a, b) => a - b);
	const pxPerNs = HOP_PX * V.zoom / hopNs;
	const cut = CUT_HOPS * hopNs;
	ys = new Array(times.length);
	bands = [];
	let y = 30;
	for (let k = 0; k < times.length; k++) {
		if (k > 0) {
			const g = times[k] - times[k - 1];
			if (V.axis === 'cut' && g > cut) {
				bands.push({ y0: y + 8, y1: y + BAND_PX - 8, ns: g });
				y += BAND_PX;
			} else {
				y += g * pxPerNs;
			}
		}
		ys[k] = y;
	}
	V.height = y + 60;
}
function yOf(t) {
	let lo = 0, hi = times.length - 1;
	if (hi < 0)
		return 30;
	while (lo < hi) {
		const m = (lo + hi) >> 1;
		if (times[m] < t)
			lo = m + 1;
		else
			hi = m;
	}
	if (times[lo] === t || lo === 0)
		return ys[lo];
	/* Between two event times (a hidden connection's event): in
	 * proportion, or in the band. */
	const a = times[lo - 1], b = times[lo];
	return ys[lo - 1] + (ys[lo] - ys[lo - 1]) * (t - a) / (b - a);
}

/* Room for the state labels beside the outer columns, in px. */
function pillWidth(text) {
	return text.length * 7 + 12;
}
function layoutCols(left, right) {
	V.cols = allCols.filter((n) => V.routers || !n.fwd);
	const w = Math.max(640, $('ladder').clientWidth || 900);
	V.width = w;
	const n = V.cols.length;
	V.x = new Map();
	V.cols.forEach((c, i) => {
		V.x.set(c.name, n === 1 ? w / 2 : left + i * (w - left - right) / (n - 1));
	});
	V.gap = n > 1 ? (w - left - right) / (n - 1) : w;
}

/* x of a node, or of where a link's drop happens: half-way between the
 * hop's ends. */
function xOf(name) {
	return V.x.has(name) ? V.x.get(name) : null;
}

function pktLabel(p) {
	let s = p.flags;
	if (p.rseq !== null)
		s += ' ' + p.rseq + (p.len ? ':' + (p.rseq + p.len) : '');
	else
		s += ' ' + p.seq;
	if (p.rack !== null)
		s += ' ack ' + p.rack;
	return s;
}

function shortReason(p) {
	if (p.rule)
		return 'rule #' + p.rule;
	const r = p.reason || 'lost';
	return r.length > 34 ? r.slice(0, 33) + '\u2026' : r;
}

/* Every drawable thing: one item per packet row and per state change,
 * with its vertical extent, in the order they start. */
function layoutItems() {
	const items = [];
	const stateX = (host) => xOf(host);
	for (const st of steps) {
		if (!st.flow.on)
			continue;
		if (st.kind === 'state') {
			const s = st.r, x = stateX(s.host);
			if (x === null)
				continue;
			const y = yOf(s.t);
			items.push({ st, y0: y - 9, y1: y + 9, x, y });
			continue;
		}
		const p = st.r;
		const it = { st, y0: 0, y1: 0, hidden: false };
		if (p.ev === 'send' || p.ev === 'forward' || p.ev === 'dup') {
			let a = p.ev === 'dup' ? p.start : p, b = p.end;
			if (p.ev === 'forward' && !V.routers) {
				it.hidden = true;
			} else if (a) {
				if (!V.routers && p.ev === 'send')
					b = journeyEnd(p) || b;
				const x0 = xOf(a.at);
				let x1, y1, dropped = false;
				const y0 = yOf(a.t);
				if (b === null) {
					x1 = xOf(a.hop) !== null ? xOf(a.hop) : x0 + 40;
					y1 = y0;
				} else if (b.ev === 'drop' && !V.x.has(b.at)) {
					const far = xOf(V.routers ? a.hop : (b.to && V.x.has(b.to) ? b.to : a.hop));
					x1 = (x0 + (far === null ? x0 + 80 : far)) / 2;
					y1 = yOf(b.t);
					dropped = true;
				} else {
					x1 = xOf(b.at);
					if (x1 === null)
						x1 = xOf(a.hop);
					y1 = yOf(b.t);
					dropped = b.ev === 'drop';
				}
				if (x0 === null || x1 === null) {
					it.hidden = true;
				} else {
					Object.assign(it, { x0, ya: y0, x1, yb: y1, dropped, end: b });
					it.y0 = Math.min(y0, y1) - 12;
					it.y1 = Math.max(y0, y1) + 12;
				}
			} else {
				it.hidden = true;
			}
		} else if (p.ev === 'recv' || p.ev === 'drop') {
			const h = p.hopStart;
			const hiddenHop = h && h.ev === 'forward' && !V.routers;
			const x = V.x.has(p.at) ? xOf(p.at) : null;
			if (x !== null) {
				const y = yOf(p.t);
				/* Dropped where it was sent (no route): no arrow
				 * says what it was. */
				const bare = p.ev === 'drop' && (h ? h.at === p.at && h.t === p.t :
				             !rowsById.get(p.id).some((q) => q.ev === 'recv' && q.at === p.at && q.no < p.no));
				Object.assign(it, { x, y, y0: y - 10, y1: y + 10, bare });
				if (p.ev === 'recv' && h) {
					const hx = xOf(h.at);
					it.dir = hx !== null && hx > x ? 1 : -1;
				}
			} else if (p.ev === 'drop' && h && !hiddenHop) {
				/* On a link: drawn by the hop's arrow; its mark here. */
				const x0 = xOf(h.at), far = xOf(V.routers ? h.hop : (p.to && V.x.has(p.to) ? p.to : h.hop));
				if (x0 !== null && far !== null) {
					const y = yOf(p.t);
					Object.assign(it, { x: (x0 + far) / 2, y, y0: y - 12, y1: y + 12, onLink: true });
				} else {
					it.hidden = true;
				}
			} else if (p.ev === 'drop' && !V.routers && h) {
				const s = rowsById.get(p.id).find((q) => q.ev === 'send');
				const x0 = s ? xOf(s.at) : null, far = xOf(p.to);
				if (x0 !== null && far !== null) {
					const y = yOf(p.t);
					Object.assign(it, { x: (x0 + far) / 2, y, y0: y - 12, y1: y + 12, onLink: true });
				} else {
					it.hidden = true;
				}
			} else {
				it.hidden = true;
			}
			if (p.ev === 'recv' && hiddenHop)
				it.hidden = !V.x.has(p.at);
		} else {
			it.hidden = true;
		}
		items.push(it);
	}
	items.sort((a, b) => a.y0 - b.y0);
	/* Labels only where they have room: per lane (pair of columns),
	 * greedy from the top; the current step's is drawn anyway. */
	const lanes = new Map();
	for (const it of items) {
		if (it.hidden || it.x0 === undefined)
			continue;
		const lane = Math.round(Math.min(it.x0, it.x1)) + ':' + Math.round(Math.max(it.x0, it.x1));
		const my = (it.ya + it.yb) / 2;
		const last = lanes.get(lane);
		it.labelled = last === undefined || my - last >= LABEL_GAP;
		if (it.labelled)
			lanes.set(lane, my);
	}
	/* State changes too close to write apart, on one column, are one
	 * label: the chain of states, cut to its last ones, drawn at the
	 * last change ("… → FIN-WAIT-2 → TIME-WAIT"). */
	const chain = new Map();	/* column x -> { y, items } */
	const flush = (c) => {
		const names = c.items.map((x) => x.st.r.to);
		const shown = names.length > MAX_CHAIN ? ['\u2026'].concat(names.slice(-MAX_CHAIN + 1)) : names;
		c.items.forEach((x, j) => {
			x.labelled = j === c.items.length - 1;
			x.text = x.labelled ? shown.join(' \u2192 ') : x.st.r.to;
		});
	};
	for (const it of items) {
		if (it.st.kind !== 'state')
			continue;
		const c = chain.get(it.x);
		if (c && it.y - c.y < 17) {
			c.items.push(it);
			continue;
		}
		if (c)
			flush(c);
		chain.set(it.x, { y: it.y, items: [it] });
	}
	chain.forEach(flush);
	let span = 0;
	for (const it of items)
		span = Math.max(span, it.y1 - it.y0);
	V.items = items;
	V.maxSpan = span;
	V.windowed = items.length > DRAW_ALL;
}

/* ---- drawing ------------------------------------------------------------------------ */

function describe(st) {
	if (st.kind === 'state') {
		const s = st.r;
		return s.host + ' #' + s.conn + ' ' + s.from + ' \u2192 ' + s.to + ' (' + s.cause + ')';
	}
	const p = st.r;
	const verb = { send: 'sends', recv: 'receives', drop: 'drops', dup: 'duplicates', forward: 'forwards' }[p.ev] || p.ev;
	let s = p.at + ' ' + verb + ' ' + pktLabel(p) + (p.len ? ' (' + p.len + ' bytes)' : '') +
	        ' ' + p.from + '\u2192' + p.to;
	if (p.reason)
		s += ': ' + p.reason;
	return s;
}

function itemSvg(it) {
	const st = it.st, k = st.k;
	const cur = k === V.step ? ' cur' : '';
	const tab = k === V.step ? '0' : '-1';
	if (st.kind === 'state') {
		const s = st.r;
		if (!it.labelled && !cur)
			return '';
		/* Outside the outer columns; on the axis of an inner one,
		 * where the room is shared with both neighbours. */
		const n = V.cols.length;
		const left = n > 1 && V.cols[0].name === s.host;
		const right = n > 1 && V.cols[n - 1].name === s.host;
		let text = cur ? s.to : it.text;
		if (!left && !right && n > 1) {
			/* Between neighbours: the last state, cut to the room. */
			const room = V.gap - 8;
			if (pillWidth(text) > room)
				text = s.to;
			if (pillWidth(text) > room)
				text = text.slice(0, Math.max(1, Math.floor((room - 12) / 7) - 1)) + '\u2026';
		}
		const w = pillWidth(text);
		const x = left ? it.x - 8 - w : right || n === 1 ? it.x + 8 : it.x - w / 2;
		return '<g class="st' + cur + '" data-step="' + k + '" tabindex="' + tab +
		       '" role="button" aria-label="' + esc(fmtTime(s.t) + ': ' + describe(st)) + '">' +
		       '<title>' + esc(describe(st) + (s.rule ? ' [' + s.rule + ']' : '')) + '</title>' +
		       '<rect x="' + x.toFixed(1) + '" y="' + (it.y - 8).toFixed(1) + '" width="' + w +
		       '" height="16" rx="3" style="stroke:' + st.flow.colour + '"/>' +
		       '<text x="' + (x + w / 2).toFixed(1) + '" y="' + (it.y + 4).toFixed(1) +
		       '" text-anchor="middle">' + esc(text) + '</text></g>';
	}
	const p = st.r;
	const colour = st.flow.colour;
	let cls = 'pkt ev-' + p.ev + (p.retx ? ' retx' : '') + cur + (it.hidden ? ' hidden' : '') +
	          (V.sel === p.i ? ' sel' : '') + (V.rel === p.i ? ' rel' : '');
	let g = '<g class="' + cls + '" data-row="' + p.i + '" data-step="' + k + '" tabindex="' + tab +
	        '" role="button" aria-label="' + esc(fmtTime(p.t) + ': ' + describe(st)) + '">';
	g += '<title>' + esc(fmtTime(p.t) + '  ' + describe(st)) + '</title>';
	if (it.hidden)
		return g + '</g>';
	const stroke = colour;	/* a retransmission is dashed */
	if (it.x0 !== undefined) {
		const { x0, x1 } = it, y0 = it.ya, y1 = it.yb;
		let ex = x1, ey = y1;
		g += '<line class="hit" x1="' + x0.toFixed(1) + '" y1="' + y0.toFixed(1) + '" x2="' +
		     ex.toFixed(1) + '" y2="' + ey.toFixed(1) + '"/>';
		g += '<line class="ln" x1="' + x0.toFixed(1) + '" y1="' + y0.toFixed(1) + '" x2="' +
		     ex.toFixed(1) + '" y2="' + ey.toFixed(1) + '" style="stroke:' + stroke + '"/>';
		if ((it.labelled || cur) && Math.hypot(x1 - x0, y1 - y0) > 30) {
			const mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
			let ang = Math.atan2(y1 - y0, x1 - x0) * 180 / Math.PI;
			if (ang > 90)
				ang -= 180;
			else if (ang < -90)
				ang += 180;
			g += '<text class="lbl" x="' + mx.toFixed(1) + '" y="' + (my - 4).toFixed(1) +
			     '" text-anchor="middle" transform="rotate(' + ang.toFixed(2) + ' ' +
			     mx.toFixed(1) + ' ' + my.toFixed(1) + ')" style="fill:' + stroke + '">' +
			     esc(pktLabel(p)) + '</text>';
		}
		if (p.ev === 'dup')
			g += '<circle class="dot" cx="' + x0.toFixed(1) + '" cy="' + y0.toFixed(1) +
			     '" r="3.5" style="fill:' + stroke + '"/>';
		return g + '</g>';
	}
	if (p.ev === 'recv') {
		/* The arrowhead at the receiver. */
		const d = it.dir || -1, x = it.x, y = it.y;
		const pts = [x, y, x + d * 10, y - 5, x + d * 10, y + 5].map((v) => v.toFixed(1));
		g += '<polygon class="dot" points="' + pts[0] + ',' + pts[1] + ' ' + pts[2] + ',' + pts[3] +
		     ' ' + pts[4] + ',' + pts[5] + '" style="fill:' + stroke + '"/>';
		return g + '</g>';
	}
	if (p.ev === 'drop') {
		g += '<text class="x" x="' + it.x.toFixed(1) + '" y="' + (it.y + 6).toFixed(1) +
		     '" text-anchor="middle">\u2715</text>';
		if (it.labelled !== false || cur) {
			const right = it.onLink || it.x < V.width / 2;
			g += '<text class="why" x="' + (it.x + (right ? 12 : -12)).toFixed(1) + '" y="' +
			     (it.y + 16).toFixed(1) + '" text-anchor="' + (right ? 'start' : 'end') + '">' +
			     esc((it.bare ? p.flags + ': ' : '') + shortReason(p)) + '</text>';
		}
		return g + '</g>';
	}
	return g + '</g>';
}

/* Drop reasons are labelled like packets: one per lane and height. */
function labelDrops() {
	let last = -1e9;
	for (const it of V.items)
		if (it.st.kind === 'packet' && it.st.r.ev === 'drop' && !it.hidden) {
			it.labelled = it.y - last >= LABEL_GAP;
			if (it.labelled)
				last = it.y;
		}
}

function drawFrame() {
	let s = '';
	/* Idle bands, then the axes, then time ticks. */
	for (const b of bands) {
		s += '<g class="band"><rect x="0" y="' + b.y0.toFixed(1) + '" width="' + V.width +
		     '" height="' + (b.y1 - b.y0).toFixed(1) + '"/><text x="' + (V.width / 2) +
		     '" y="' + ((b.y0 + b.y1) / 2 + 4).toFixed(1) + '" text-anchor="middle">' +
		     esc(fmtDur(b.ns) + ' idle') + '</text></g>';
	}
	for (const c of V.cols) {
		const x = V.x.get(c.name).toFixed(1);
		/* The names are in the header on screen; on paper, here. */
		s += '<text class="colname" x="' + x + '" y="12" text-anchor="middle">' + esc(c.name) + '</text>';
		s += '<line class="axis' + (c.fwd ? ' router' : '') + '" x1="' + x + '" y1="18" x2="' + x +
		     '" y2="' + (V.height - 10).toFixed(1) + '"/>';
	}
	/* Time ticks where there is room; drawn with the items, only
	 * near the screen (a flood has thousands). */
	V.ticks = [];
	let last = -1e9;
	for (let k = 0; k < times.length; k++) {
		if (ys[k] - last < 18)
			continue;
		last = ys[k];
		V.ticks.push(k);
	}
	return s;
}

function ticksSvg(top, bottom) {
	let s = '', lo = 0, hi = V.ticks.length;
	while (lo < hi) {
		const m = (lo + hi) >> 1;
		if (ys[V.ticks[m]] < top)
			lo = m + 1;
		else
			hi = m;
	}
	for (let j = lo; j < V.ticks.length && ys[V.ticks[j]] <= bottom; j++) {
		const k = V.ticks[j];
		s += '<text class="tick" x="4" y="' + (ys[k] + 4).toFixed(1) + '">' + esc(fmtTime(times[k])) + '</text>';
	}
	return s;
}

function drawHeads() {
	let h = '';
	for (const c of V.cols)
		h += '<div class="colhead" style="left:' + V.x.get(c.name).toFixed(1) + 'px;max-width:' +
		     Math.max(40, V.gap - 4).toFixed(0) + 'px"><b>' +
		     esc(c.name) + '</b><span data-host="' + esc(c.name) + '">' +
		     (c.fwd ? 'router' : '') + '</span></div>';
	$('colheads').innerHTML = h;
	fillHeads();
}

/* The items that meet [top, bottom]: all of them unless windowed. */
function visibleItems(top, bottom) {
	if (!V.windowed)
		return V.items;
	const items = V.items;
	let lo = 0, hi = items.length;
	const from = top - V.maxSpan;
	while (lo < hi) {
		const m = (lo + hi) >> 1;
		if (items[m].y0 < from)
			lo = m + 1;
		else
			hi = m;
	}
	const out = [];
	for (let j = lo; j < items.length && items[j].y0 <= bottom; j++)
		if (items[j].y1 >= top)
			out.push(items[j]);
	return out;
}

let frame = '';
function relayout() {
	let left = 100 + pillWidth('SYN-RECEIVED'), right = 20 + pillWidth('SYN-RECEIVED');
	layoutCols(left, right);
	layoutTime();
	layoutItems();
	/* Again with margins as wide as the outer columns' labels. */
	let l = 0, r = 0;
	const first = V.cols[0], last = V.cols[V.cols.length - 1];
	for (const it of V.items)
		if (it.st.kind === 'state' && it.labelled) {
			if (first && it.st.r.host === first.name)
				l = Math.max(l, pillWidth(it.text));
			else if (last && it.st.r.host === last.name)
				r = Math.max(r, pillWidth(it.text));
		}
	l = 100 + Math.min(l, 300);
	r = 20 + Math.min(r, 300);
	if (l !== left || r !== right) {
		layoutCols(l, r);
		layoutItems();
	}
	labelDrops();
	frame = drawFrame();
	drawHeads();
	V.drawn = null;
	draw();
}

function draw(all) {
	const lad = $('ladder');
	const top = lad.scrollTop, h = lad.clientHeight || 800;
	const margin = h;
	const key = all ? 'all' : V.windowed ? Math.floor((top - margin / 2) / (margin / 2)) : 'all';
	const svg = $('svg');
	svg.setAttribute('width', V.width);
	svg.setAttribute('height', Math.ceil(V.height));
	svg.setAttribute('viewBox', '0 0 ' + V.width + ' ' + Math.ceil(V.height));
	const items = all ? V.items : visibleItems(top - margin, top + h + margin);
	let s = frame + (all || !V.windowed ? ticksSvg(-1e9, 1e12) : ticksSvg(top - margin, top + h + margin));
	let nowY = null;
	for (const it of items)
		s += itemSvg(it);
	if (V.step >= 0) {
		const st = steps[V.step];
		nowY = yOf(st.t);
		s += '<line class="nowline" x1="0" x2="' + V.width + '" y1="' + nowY.toFixed(1) + '" y2="' + nowY.toFixed(1) + '"/>';
	}
	svg.innerHTML = s;
	V.drawn = key;
	svg.setAttribute('data-drawn', String(items.length));
}

/* ---- the state at a step ---------------------------------------------------------------- */

/* Replay a connection's variables up to step k (inclusive). */
function connVars(c, k) {
	const v = { state: null, snd_una: null, snd_nxt: null, rcv_nxt: null, rto: null,
	            timers: new Map() };
	const f = c.flow;
	const lastNo = steps[k].no;
	for (const j of f.steps) {
		if (j > k)
			break;
		const st = steps[j];
		if (st.kind === 'state') {
			if (st.r.host === c.host && st.r.conn === c.conn)
				v.state = st.r.to;
			continue;
		}
		const p = st.r;
		if (p.at !== c.host || connAt(f, c.host, p.t) !== c)
			continue;
		const fin = p.flags.includes('FIN') ? 1 : 0, syn = p.flags.includes('SYN') ? 1 : 0;
		if (p.ev === 'send' && p.rseq !== null) {
			const end = p.rseq + p.len + syn + fin;
			if (syn && v.snd_una === null)
				v.snd_una = p.rseq;
			if (v.snd_nxt === null || end > v.snd_nxt)
				v.snd_nxt = end;
		} else if (p.ev === 'recv') {
			/* A segment the host then drops (a full queue) changed
			 * nothing. */
			const rows = rowsById.get(p.id);
			if (rows.some((q) => q.ev === 'drop' && q.at === c.host && q.no > p.no))
				continue;
			if (p.rack !== null && p.flags.includes('ACK') && v.snd_nxt !== null &&
			    p.rack <= v.snd_nxt && (v.snd_una === null || p.rack > v.snd_una))
				v.snd_una = p.rack;
			if (p.rseq !== null) {
				if (syn && v.rcv_nxt === null)
					v.rcv_nxt = p.rseq + 1 + p.len + fin;
				else if (v.rcv_nxt !== null && p.rseq <= v.rcv_nxt)
					v.rcv_nxt = Math.max(v.rcv_nxt, p.rseq + p.len + fin);
			}
		}
	}
	/* A timer row numbered N came after event N, maybe much later
	 * (an expiry): at event N only those of its instant have been. */
	const now = steps[k].t;
	for (const tm of timers) {
		if (tm.no > lastNo || (tm.no === lastNo && tm.t > now))
			break;
		if (tm.host !== c.host || tm.conn !== c.conn)
			continue;
		v.rto = tm.rto;
		if (tm.op === 'set')
			v.timers.set(tm.name, tm.deadline);
		else
			v.timers.delete(tm.name);
	}
	if (v.state === null && steps[k].t < (c.opened || 0))
		v.state = '(not yet)';
	return v;
}

/* Each host's states at step k: per connection, from states.csv. */
function hostStates(k) {
	const now = new Map();	/* host -> Map(conn -> state) */
	for (let j = 0; j <= k; j++) {
		const st = steps[j];
		if (st.kind !== 'state' || !st.flow.on)
			continue;
		const s = st.r;
		if (!now.has(s.host))
			now.set(s.host, new Map());
		now.get(s.host).set(s.conn, s.to);
	}
	return now;
}

function showStep(k, scroll) {
	if (steps.length === 0)
		return;
	k = Math.max(0, Math.min(steps.length - 1, k));
	V.step = k;
	const st = steps[k];
	V.rel = null;
	if (st.kind === 'packet' && (st.r.ev === 'recv' || st.r.ev === 'drop') && st.r.hopStart)
		V.rel = st.r.hopStart.i;
	const status = $('status');
	status.textContent = fmtTime(st.t) + ' \u00b7 ' + describe(st);
	status.dataset.step = String(k);
	status.dataset.eventNo = String(st.no);
	status.dataset.kind = st.kind;
	status.dataset.row = String(st.r.i);
	status.dataset.t = String(st.t);
	$('slider').value = String(k);
	$('slider').setAttribute('aria-valuetext', fmtTime(st.t) + ', event ' + (k + 1) + ' of ' + steps.length);
	$('clock').textContent = fmtTime(st.t) + '  ' + (k + 1) + '/' + steps.length;
	showWhy(st);
	showHosts(k, st);
	showVars(k, st);
	if (scroll !== false)
		scrollTo(st);
	draw();
	const el = document.querySelector('#svg [data-step="' + k + '"]');
	if (el && document.activeElement && document.activeElement.closest &&
	    document.activeElement.closest('#svg'))
		el.focus({ preventScroll: true });
}

function showWhy(st) {
	let h = '';
	if (st.kind === 'state') {
		const s = st.r;
		h += '<p>Because: ' + esc(s.cause) + '</p>';
		if (s.rule)
			h += '<p class="rule">[' + esc(s.rule) + ']</p>';
	} else {
		const p = st.r;
		const rule = arrivalRule.get(p.no);
		if (rule)
			h += '<p class="rule">[' + esc(rule) + ']</p>';
		h += '<p><button type="button" id="show-pkt">all fields of this packet</button></p>';
	}
	$('why').innerHTML = h;
	const b = $('show-pkt');
	if (b)
		b.addEventListener('click', () => showPacket(st.r.i));
}

function showHosts(k, st) {
	const now = hostStates(k);
	let h = '<table><thead><tr><th scope="col">host</th><th scope="col">connections</th></tr></thead><tbody>';
	const heads = {};
	for (const c of allCols) {
		if (c.fwd && !c.states)
			continue;
		const m = now.get(c.name);
		let text = '';
		if (m && m.size) {
			/* The current event's connection first, then counts. */
			const cur = st.flow.conns.find((x) => x.host === c.name);
			const counts = new Map();
			for (const [conn, state] of m)
				if (!cur || conn !== cur.conn)
					counts.set(state, (counts.get(state) || 0) + 1);
			const parts = [];
			if (cur && m.has(cur.conn))
				parts.push('<b>#' + esc(cur.conn) + ' ' + esc(m.get(cur.conn)) + '</b>');
			if (m.size <= 4) {
				for (const [conn, state] of m)
					if (!cur || conn !== cur.conn)
						parts.push('#' + esc(conn) + ' ' + esc(state));
			} else {
				for (const [state, n] of counts)
					parts.push(n + ' \u00d7 ' + esc(state));
			}
			text = parts.join(', ');
			heads[c.name] = cur && m.has(cur.conn) ? m.get(cur.conn) :
			                m.size === 1 ? [...m.values()][0] : m.size + ' connections';
		} else {
			text = '<span class="hint">none</span>';
		}
		h += '<tr><th scope="row">' + esc(c.name) + '</th><td>' + text + '</td></tr>';
	}
	h += '</tbody></table>';
	$('hosts').innerHTML = h;
	V.heads = heads;
	fillHeads();
}

function fillHeads() {
	for (const span of document.querySelectorAll('#colheads span[data-host]')) {
		const n = span.getAttribute('data-host');
		if (V.heads[n] !== undefined)
			span.textContent = V.heads[n];
		else
			span.textContent = nodeInfo.get(n).fwd ? 'router' : '';
	}
}

function showVars(k, st) {
	const f = st.flow;
	if (f.conns.length === 0) {
		$('vars').innerHTML = '<p class="hint">No connection state (TCB) at either end of this packet: ' +
		                      (byPorts ? 'no host kept one for its addresses and ports.' :
		                       'the run has no capture to tell connections apart.') + '</p>';
		return;
	}
	let h = '<p>' + esc(flowLabel(f)) + '</p>';
	h += '<table><thead><tr><th scope="col"></th>';
	const cs = f.conns.slice().sort((a, b) => (a.passive === b.passive ? 0 : a.passive ? 1 : -1));
	const vs = cs.map((c) => connVars(c, k));
	for (const c of cs)
		h += '<th scope="col">' + esc(c.host) + ' #' + esc(c.conn) + '</th>';
	h += '</tr></thead><tbody>';
	const row = (name, fn, title) => {
		h += '<tr><th scope="row"' + (title ? ' title="' + esc(title) + '"' : '') + '>' + name + '</th>';
		vs.forEach((v) => { h += '<td class="num">' + fn(v) + '</td>'; });
		h += '</tr>';
	};
	const n = (x) => (x === null ? '-' : esc(String(x)));
	row('state', (v) => esc(v.state || '-'));
	row('SND.UNA', (v) => n(v.snd_una), 'oldest unacknowledged sequence number (relative)');
	row('SND.NXT', (v) => n(v.snd_nxt), 'next sequence number to send (relative)');
	row('RCV.NXT', (v) => n(v.rcv_nxt), 'next sequence number expected (relative)');
	row('RTO', (v) => (v.rto === null ? '-' : esc(fmtDur(v.rto))), 'retransmission timeout (RFC 6298)');
	row('timers', (v) => {
		if (v.timers.size === 0)
			return '<span class="hint">none</span>';
		return [...v.timers].map(([name, at]) => esc(name) + ' at ' + esc(fmtTime(at)) +
		                                         ' (in ' + esc(fmtDur(at - st.t)) + ')').join('<br>');
	}, 'timers pending and when they fire');
	h += '</tbody></table>';
	if (!X.length)
		h += '<p class="hint">No explain.csv in this run: no RTO or timers.</p>';
	h += '<p class="hint">Sequence numbers relative to each side\'s ISN; SND.UNA, SND.NXT and RCV.NXT follow the segments sent and received.</p>';
	$('vars').innerHTML = h;
}

function showPacket(i) {
	const p = P[i];
	V.sel = i;
	const r = rec.get(p.id);
	let h = '<dl class="fields">';
	for (const c of D.packets.cols)
		h += '<dt>' + esc(c) + '</dt><dd>' + (p.raw[c] === '' ? '<span class="hint">-</span>' : esc(p.raw[c])) + '</dd>';
	if (r)
		h += '<dt>addresses</dt><dd>' + esc(r.src + ' \u2192 ' + r.dst) + '</dd>';
	h += '</dl>';
	h += '<h3>pcapng comment</h3><p>' + (r && r.comment ? esc(r.comment) : '<span class="hint">none (no trace.pcapng)</span>') + '</p>';
	const rule = arrivalRule.get(p.no) || (p.ev === 'recv' ? null : undefined);
	let rules = '';
	for (const q of rowsById.get(p.id)) {
		const a = arrivalRule.get(q.no);
		if (a)
			rules += '<p class="rule">' + esc(q.at) + ': [' + esc(a) + ']</p>';
	}
	h += '<h3>--explain</h3>' + (rules || '<p class="hint">' + (rule === null ? 'no rule recorded' :
	     'no TCP host received this packet') + '</p>');
	const d = $('packet');
	d.innerHTML = h;
	d.dataset.row = String(i);
	draw();
}

function scrollTo(st) {
	const lad = $('ladder');
	const y = yOf(st.t);
	const h = lad.clientHeight || 600;
	if (y < lad.scrollTop + 40 || y > lad.scrollTop + h - 40)
		lad.scrollTop = Math.max(0, y - h / 3);
}

/* ---- controls ---------------------------------------------------------------------------- */

/* Steps of the connections shown. */
function visibleStep(k, dir) {
	for (let j = k; j >= 0 && j < steps.length; j += dir)
		if (steps[j].flow.on)
			return j;
	return -1;
}
/* The next (dir 1) or previous (-1) state change shown. */
function goState(dir) {
	for (let j = V.step + dir; j >= 0 && j < steps.length; j += dir)
		if (steps[j].flow.on && steps[j].kind === 'state')
			return showStep(j);
	return undefined;
}
function go(dir) {
	const j = visibleStep(V.step + dir, dir);
	if (j >= 0)
		showStep(j);
	else if (V.playing)
		play(false);
}
function play(on) {
	if (on && !V.playing) {
		V.playing = setInterval(() => go(1), PLAY_MS);
	} else if (!on && V.playing) {
		clearInterval(V.playing);
		V.playing = null;
	}
	const b = $('play');
	b.setAttribute('aria-pressed', on ? 'true' : 'false');
	b.setAttribute('aria-label', on ? 'Pause' : 'Play');
	b.textContent = on ? 'pause' : 'play';
}

function connList() {
	let h = '';
	const item = (f, label, n, id) =>
		'<li><label><input type="checkbox" data-flow="' + id + '"' + (f.every((x) => x.on) ? ' checked' : '') +
		'><span class="swatch" style="background:' + (f[0] ? f[0].colour : OTHER_COLOUR) + '"></span>' +
		esc(label) + ' <span class="hint">(' + n + ')</span></label></li>';
	named.forEach((f, i) => { h += item([f], flowLabel(f), f.n, 'n' + i); });
	if (others.length)
		h += item(others, 'packets of no connection (' + others.length + ' flows)',
		          others.reduce((a, f) => a + f.n, 0), 'o');
	$('conns').innerHTML = h;
}
function setFlows(id, on) {
	if (id === 'o')
		others.forEach((f) => { f.on = on; });
	else
		named[Number(id.slice(1))].on = on;
}

function header() {
	const sm = summary;
	if (sm) {
		const scen = (sm.scenario || '').split('/').pop();
		$('title').textContent = 'synsim view \u2014 ' + scen + ' (seed ' + sm.seed + ')';
		document.title = scen + ' \u2014 synsim view';
		$('reproduce').textContent = sm.reproduce || '-';
		$('fingerprint').textContent = sm.fingerprint || '-';
	}
	$('counts').textContent = '\u00b7 ' + P.length + ' packet events, ' + S.length +
	                          ' state changes' + (sm ? ', ' + fmtTime(sm.end_ns) + ' simulated' : '');
	$('slider').max = String(Math.max(0, steps.length - 1));
}

function bind() {
	$('first').addEventListener('click', () => showStep(visibleStep(0, 1)));
	$('last').addEventListener('click', () => showStep(visibleStep(steps.length - 1, -1)));
	$('prev').addEventListener('click', () => go(-1));
	$('next').addEventListener('click', () => go(1));
	$('play').addEventListener('click', () => play(!V.playing));
	$('slider').addEventListener('input', (e) => {
		const k = Number(e.target.value);
		const j = visibleStep(k, 1) >= 0 ? visibleStep(k, 1) : visibleStep(k, -1);
		if (j >= 0)
			showStep(j);
	});
	for (const r of document.querySelectorAll('input[name=axis]'))
		r.addEventListener('change', (e) => { V.axis = e.target.value; relayout(); if (V.step >= 0) showStep(V.step); });
	$('zoomin').addEventListener('click', () => zoom(2));
	$('zoomout').addEventListener('click', () => zoom(0.5));
	$('routers').addEventListener('change', (e) => { V.routers = e.target.checked; relayout(); if (V.step >= 0) showStep(V.step); });
	$('conns').addEventListener('change', (e) => {
		const id = e.target.getAttribute('data-flow');
		if (id) {
			setFlows(id, e.target.checked);
			refilter();
		}
	});
	$('conns-all').addEventListener('click', () => { flows.forEach((f) => { f.on = true; }); connList(); refilter(); });
	$('conns-none').addEventListener('click', () => { flows.forEach((f) => { f.on = false; }); connList(); refilter(); });
	$('svg').addEventListener('click', (e) => {
		const g = e.target.closest('[data-step]');
		if (!g)
			return;
		const k = Number(g.getAttribute('data-step'));
		showStep(k, false);
		if (steps[k].kind === 'packet')
			showPacket(steps[k].r.i);
	});
	$('ladder').addEventListener('scroll', () => {
		if (!V.windowed || V.pending)
			return;
		V.pending = true;
		requestAnimationFrame(() => { V.pending = false; draw(); });
	});
	document.addEventListener('keydown', (e) => {
		if (e.target.tagName === 'INPUT' && e.target.type !== 'checkbox' && e.target.type !== 'radio')
			return;
		if (e.altKey || e.ctrlKey || e.metaKey)
			return;
		const k = e.key;
		if (k === 'ArrowRight' || k === 'j' || k === 'n') {
			go(1);
		} else if (k === 'ArrowLeft' || k === 'k' || k === 'p') {
			go(-1);
		} else if (k === 'PageDown') {
			goState(1);
		} else if (k === 'PageUp') {
			goState(-1);
		} else if (k === 'Home') {
			showStep(visibleStep(0, 1));
		} else if (k === 'End') {
			showStep(visibleStep(steps.length - 1, -1));
		} else if (k === ' ' && e.target.tagName !== 'BUTTON') {
			play(!V.playing);
		} else if (k === 'Enter' && e.target.tagName !== 'BUTTON') {
			const g = e.target.closest ? e.target.closest('#svg [data-step]') : null;
			const st = g ? steps[Number(g.getAttribute('data-step'))] : steps[V.step];
			if (st && st.kind === 'packet')
				showPacket(st.r.i);
		} else if (k === '+' || k === '=') {
			zoom(2);
		} else if (k === '-') {
			zoom(0.5);
		} else {
			return;
		}
		e.preventDefault();
	});
	window.addEventListener('resize', () => { fitHeight(); relayout(); });
	/* Print the whole ladder, not the window on screen. */
	window.addEventListener('beforeprint', () => draw(true));
}

function zoom(f) {
	V.zoom = Math.max(1 / 64, Math.min(64, V.zoom * f));
	relayout();
	if (V.step >= 0)
		showStep(V.step);
}

function refilter() {
	relayout();
	const j = V.step >= 0 && steps[V.step].flow.on ? V.step : visibleStep(Math.max(0, V.step), 1);
	if (j >= 0)
		showStep(j);
}

/* ---- start -------------------------------------------------------------------------------- */

/* The ladder and the side panel take what the header leaves. */
function fitHeight() {
	document.documentElement.style.setProperty('--head', $('top').offsetHeight + 'px');
}

header();
fitHeight();
connList();
bind();
const t0 = performance.now();
relayout();
document.body.dataset.layoutMs = (performance.now() - t0).toFixed(1);
const frag = new URLSearchParams(location.hash.slice(1));
let start = 0;
if (frag.has('step'))
	start = Number(frag.get('step')) || 0;
if (steps.length === 0)
	$('status').textContent = 'This run has no packets and no state changes to show.';
if (steps.length) {
	showStep(start);
	if (frag.has('packet') && P[Number(frag.get('packet'))])
		showPacket(Number(frag.get('packet')));
}
/* #walk: step from the first event to the last with the Right arrow
 * key (a keydown event, through the same handler as a person's), noting
 * after each step the status and which element is highlighted, in a
 * hidden list a test reads from the DOM; #walk=states with Page Down,
 * from state change to state change. */
if (frag.has('walk') && steps.length) {
	const key = frag.get('walk') === 'states' ? 'PageDown' : 'ArrowRight';
	const ol = document.createElement('ol');
	ol.id = 'walk';
	ol.hidden = true;
	showStep(0);
	for (;;) {
		const cur = document.querySelector('#svg .cur');
		const li = document.createElement('li');
		li.dataset.step = String(V.step);
		li.dataset.cur = cur ? cur.getAttribute('data-step') : '';
		li.dataset.kind = steps[V.step].kind;
		li.textContent = $('status').textContent + ' | ' + $('why').textContent;
		ol.appendChild(li);
		const before = V.step;
		$('ladder').dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
		if (V.step === before)
			break;
	}
	document.body.appendChild(ol);
}
/* #bench=N: time N steps forward from where the page opened (the
 * README's figures); the mean per step in data-step-ms. */
if (frag.has('bench') && steps.length) {
	const n = Number(frag.get('bench')) || 100;
	const t1 = performance.now();
	let done = 0;
	for (; done < n && V.step < steps.length - 1; done++)
		go(1);
	document.body.dataset.stepMs = ((performance.now() - t1) / Math.max(1, done)).toFixed(2);
}
document.body.dataset.ready = 'true';
})();
