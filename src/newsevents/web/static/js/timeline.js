/* /timeline: events per day (month, year) stacked by quad class, and the average Goldstein score as a line.
 * The x axis is calendar time, so gaps between reported days stay visible. A bar links to its events. */
(function () {
  "use strict";
  const { el, svg, api, clear, status, fail, filterForm, legend, urlParams, setUrlParams, QUADS, fmt } = window.NE;

  const W = 960, H = 380;
  const M = { top: 16, right: 56, bottom: 40, left: 48 };
  const DAY = 86400000;
  const byNode = document.getElementById("by");
  const chart = document.getElementById("chart");

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

  function periodRange(period, by) {
    // the period as since/until dates for the events page
    const last = new Date(periodEnd(period, by) - DAY).toISOString().slice(0, 10);
    return { since: new Date(periodStart(period)).toISOString().slice(0, 10), until: last };
  }

  /** About `count` round tick values between lo and hi. */
  function ticks(lo, hi, count) {
    const span = hi - lo || 1;
    const raw = span / count;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) || raw;
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
    return out;
  }

  function draw(rows, by, params) {
    clear(chart);
    if (!rows.length) {
      chart.appendChild(el("p", { class: "muted" }, "No dated events match these filters."));
      return;
    }
    const t0 = periodStart(rows[0].period);
    const t1 = periodEnd(rows[rows.length - 1].period, by);
    const iw = W - M.left - M.right, ih = H - M.top - M.bottom;
    const x = (t) => M.left + ((t - t0) / (t1 - t0)) * iw;
    const maxCount = Math.max(...rows.map((r) => r.events));
    const countTicks = ticks(0, maxCount, Math.min(5, maxCount));
    const top = Math.max(maxCount, countTicks[countTicks.length - 1]);
    const y = (v) => M.top + ih - (v / top) * ih;
    const g = (v) => M.top + ih / 2 - (v / 10) * (ih / 2); // Goldstein -10..10 on the right axis

    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "timeline", role: "img",
      "aria-label": `Events per ${by} by quad class, with the average Goldstein score` });
    // axes and grid
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
    // stacked bars
    const keys = [[1, "verbal_coop"], [2, "material_coop"], [3, "verbal_conflict"], [4, "material_conflict"]];
    for (const r of rows) {
      const a = x(periodStart(r.period)), b = x(periodEnd(r.period, by));
      const width = Math.max(3, b - a - 1);
      const left = (a + b) / 2 - width / 2;
      const link = svg("a", { href: `/events?${new URLSearchParams(Object.assign({}, params, periodRange(r.period, by)))}`, class: "bar", data: { period: r.period } });
      let base = 0;
      for (const [quad, key] of keys) {
        const n = r[key] || 0;
        if (!n) continue;
        link.appendChild(svg("rect", { x: left, width, y: y(base + n), height: Math.max(0.5, y(base) - y(base + n)), fill: QUADS[quad].color, class: `seg ${QUADS[quad].cls}` },
          svg("title", {}, `${r.period}: ${n} ${QUADS[quad].name} of ${r.events} events; ${fmt(r.mentions)} mentions; avg. Goldstein ${fmt(r.avg_goldstein, 2)}`)));
        base += n;
      }
      root.appendChild(link);
    }
    // Goldstein average line
    const points = rows.filter((r) => r.avg_goldstein !== null).map((r) => [(x(periodStart(r.period)) + x(periodEnd(r.period, by))) / 2, g(r.avg_goldstein), r]);
    if (points.length > 1) root.appendChild(svg("polyline", { points: points.map((p) => `${p[0].toFixed(1)},${p[1].toFixed(1)}`).join(" "), class: "goldstein-line" }));
    for (const [px, py, r] of points) {
      root.appendChild(svg("circle", { cx: px, cy: py, r: 3.5, class: "goldstein-dot" }, svg("title", {}, `${r.period}: average Goldstein ${fmt(r.avg_goldstein, 2)}`)));
    }
    chart.appendChild(root);
  }

  async function load(params) {
    const by = params.by || "day";
    byNode.value = by;
    status("Loading…");
    try {
      const filters = Object.assign({}, params);
      delete filters.by;
      const data = await api("/api/timeline", Object.assign({}, filters, { by }));
      draw(data.items, by, filters);
      const total = data.items.reduce((s, r) => s + r.events, 0);
      status(`${fmt(total)} events on ${data.items.length} ${by}${data.items.length === 1 ? "" : "s"}`);
    } catch (e) {
      clear(chart);
      fail(e);
    }
  }

  legend(document.getElementById("legend"), [...Object.values(QUADS).map((q) => [q.color, q.name]), ["#333333", "average Goldstein (right axis)"]]);
  filterForm(load, () => ({ by: byNode.value })).then((current) => {
    byNode.addEventListener("change", () => {
      const params = current();
      setUrlParams(params);
      load(params);
    });
    load(urlParams());
  }).catch(fail);
})();
