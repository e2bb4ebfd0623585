/* newsevents: the period chart shared by the timeline, the dyad view and the actor page (window.NE.charts).
 *
 * Events per period (day, month, year) as bars stacked by quad class on a calendar axis (gaps between
 * reported periods stay visible), with average Goldstein scores as lines on a -10..+10 right axis. A bar
 * links to the events it counts: its period as since/until, which the API reads by the same rule as it
 * counts (an event whose whole date lies in the period).
 */
(function () {
  "use strict";
  const { el, svg, clear, QUADS, fmt } = window.NE;

  const W = 960, H = 380;
  const M = { top: 16, right: 56, bottom: 40, left: 48 };
  const DAY = 86400000;
  const MIN_PERIODS = 12;
  const QUAD_KEYS = [[1, "verbal_coop"], [2, "material_coop"], [3, "verbal_conflict"], [4, "material_conflict"]];

  function periodStart(period) {
    const [y, m, d] = period.split("-").map(Number);
    return Date.UTC(y, (m || 1) - 1, d || 1);
  }

  function periodEnd(period, by) {
    const start = new Date(periodStart(period));
    if (by === "year") return Date.UTC(start.getUTCFullYear() + 1, 0, 1);
    if (by === "month") return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
    return start.getTime() + DAY;
  }

  /** A period as since/until dates for the events page. */
  function periodRange(period, by) {
    const last = new Date(periodEnd(period, by) - DAY).toISOString().slice(0, 10);
    return { since: new Date(periodStart(period)).toISOString().slice(0, 10), until: last };
  }

  /** About `count` round tick values between lo and hi. */
  function ticks(lo, hi, count) {
    const span = hi - lo || 1;
    const raw = span / Math.max(1, count);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) || raw;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
    return out;
  }

  /**
   * Draw rows ({period, events, verbal_coop, ...}) into container. opts: by (day, month, year); href(row) the
   * link of a bar; lines [{key, cls, label}] of average Goldstein scores to draw; label (aria-label).
   */
  function periods(container, rows, opts) {
    clear(container);
    const by = opts.by || "day";
    if (!rows.length) {
      container.appendChild(el("p", { class: "muted" }, opts.empty || "No dated events match these filters."));
      return;
    }
    // the axis spans at least MIN_PERIODS periods, centred on the data: one month is a bar, not the whole chart
    let t0 = periodStart(rows[0].period);
    let t1 = periodEnd(rows[rows.length - 1].period, by);
    const unit = periodEnd(rows[0].period, by) - t0;
    if (t1 - t0 < MIN_PERIODS * unit) {
      const pad = (MIN_PERIODS * unit - (t1 - t0)) / 2;
      t0 -= pad;
      t1 += pad;
    }
    const iw = W - M.left - M.right, ih = H - M.top - M.bottom;
    const x = (t) => M.left + ((t - t0) / (t1 - t0)) * iw;
    const maxCount = Math.max(...rows.map((r) => r.events));
    const countTicks = ticks(0, maxCount, Math.min(5, maxCount));
    const top = Math.max(maxCount, countTicks[countTicks.length - 1]);
    const y = (v) => M.top + ih - (v / top) * ih;
    const g = (v) => M.top + ih / 2 - (v / 10) * (ih / 2); // Goldstein -10..10 on the right axis

    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "timeline", role: "img", "aria-label": opts.label || `Events per ${by}` });
    for (const v of countTicks) {
      root.appendChild(svg("line", { x1: M.left, x2: W - M.right, y1: y(v), y2: y(v), class: "grid" }));
      root.appendChild(svg("text", { x: M.left - 6, y: y(v) + 4, class: "axis-label", "text-anchor": "end" }, String(v)));
    }
    for (const v of [-10, -5, 0, 5, 10]) {
      root.appendChild(svg("text", { x: W - M.right + 6, y: g(v) + 4, class: "axis-label goldstein-label" }, (v > 0 ? "+" : "") + v));
    }
    root.appendChild(svg("line", { x1: M.left, x2: W - M.right, y1: g(0), y2: g(0), class: "zero-line" }));
    root.appendChild(svg("text", { x: 12, y: M.top + ih / 2, class: "axis-title", transform: `rotate(-90 12 ${M.top + ih / 2})`, "text-anchor": "middle" }, "events"));
    root.appendChild(svg("text", { x: W - 8, y: M.top + ih / 2, class: "axis-title", transform: `rotate(90 ${W - 8} ${M.top + ih / 2})`, "text-anchor": "middle" }, "avg. Goldstein"));
    root.appendChild(svg("line", { x1: M.left, x2: W - M.right, y1: M.top + ih, y2: M.top + ih, class: "axis" }));
    const spanDays = (t1 - t0) / DAY;
    const labelLength = spanDays > 3 * 365 ? 4 : spanDays > 90 ? 7 : 10;
    const seen = new Set();
    for (const t of ticks(t0, t1, 6)) {
      const label = new Date(t).toISOString().slice(0, labelLength);
      if (seen.has(label)) continue;
      seen.add(label);
      root.appendChild(svg("line", { x1: x(t), x2: x(t), y1: M.top + ih, y2: M.top + ih + 5, class: "axis" }));
      root.appendChild(svg("text", { x: x(t), y: H - M.bottom + 20, class: "axis-label", "text-anchor": "middle" }, label));
    }
    for (const r of rows) {
      const a = x(periodStart(r.period)), b = x(periodEnd(r.period, by));
      const width = Math.max(3, b - a - 1);
      const left = (a + b) / 2 - width / 2;
      const link = svg("a", { href: opts.href ? opts.href(r) : null, class: "bar", data: { period: r.period, events: r.events } });
      let base = 0;
      for (const [quad, key] of QUAD_KEYS) {
        const n = r[key] || 0;
        if (!n) continue;
        link.appendChild(svg("rect", { x: left, width, y: y(base + n), height: Math.max(0.5, y(base) - y(base + n)), fill: QUADS[quad].color, class: `seg ${QUADS[quad].cls}` },
          svg("title", {}, `${r.period}: ${n} ${QUADS[quad].name} of ${r.events} events; ${fmt(r.mentions)} mentions; avg. Goldstein ${fmt(r.avg_goldstein, 2)}`)));
        base += n;
      }
      root.appendChild(link);
    }
    for (const line of opts.lines || [{ key: "avg_goldstein", cls: "goldstein-line", label: "average Goldstein" }]) {
      const points = rows.filter((r) => r[line.key] !== null && r[line.key] !== undefined)
        .map((r) => [(x(periodStart(r.period)) + x(periodEnd(r.period, by))) / 2, g(r[line.key]), r]);
      if (points.length > 1) root.appendChild(svg("polyline", { points: points.map((p) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(" "), class: line.cls }));
      for (const [px, py, r] of points) {
        root.appendChild(svg("circle", { cx: px, cy: py, r: 3.5, class: `${line.cls}-dot` }, svg("title", {}, `${r.period}: ${line.label} ${fmt(r[line.key], 2)}`)));
      }
    }
    container.appendChild(root);
  }

  window.NE.charts = { periods, periodRange, periodStart, periodEnd };
})();
