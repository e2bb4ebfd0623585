/* /timeline: events per day (month, year) stacked by quad class, and the average Goldstein score as a line.
 * The axis spans where the data is (the API's range): periods far outside it (an article recalling 1947) are
 * listed under the chart instead of stretching the axis, unless "every date" is asked for. Every grouping
 * counts by one rule (the API's), stated above the chart with what it leaves out. A bar links to its events. */
(function () {
  "use strict";
  const { el, api, clear, append, status, fail, filterForm, legend, urlParams, reloadOn, QUADS, fmt, downloads, showMatched } = window.NE;
  const { periods, periodRange } = window.NE.charts;

  const byNode = document.getElementById("by");
  const allNode = document.getElementById("all-dates");
  const chart = document.getElementById("chart");

  function eventsHref(filters, period, by) {
    return `/events?${new URLSearchParams(Object.assign({}, filters, periodRange(period, by)))}`;
  }

  function note(data) {
    const node = clear(document.getElementById("rule"));
    const apart = [];
    if (data.coarser) apart.push(`${fmt(data.coarser)} dated less precisely than a ${data.by}`);
    if (data.undated) apart.push(`${fmt(data.undated)} undated`);
    append(node, [data.rule, apart.length ? ` Not in the bars: ${apart.join(", ")}.` : ""]);
  }

  function outliers(data, filters) {
    const box = document.getElementById("outliers-box");
    const list = clear(document.getElementById("outliers"));
    const far = data.items.filter((r) => r.outlier);
    box.hidden = !far.length;
    for (const r of far) {
      list.appendChild(el("li", {}, el("a", { href: eventsHref(filters, r.period, data.by), data: { period: r.period } },
        `${r.period}: ${fmt(r.events)} event${r.events === 1 ? "" : "s"}`)));
    }
  }

  async function load(params) {
    const by = params.by || "day";
    byNode.value = by;
    allNode.checked = params.span === "all";
    status("Loading…");
    try {
      const filters = Object.assign({}, params);
      delete filters.by;
      delete filters.span;
      const data = await api("/api/timeline", Object.assign({}, filters, { by }));
      const shown = params.span === "all" ? data.items : data.items.filter((r) => !r.outlier);
      periods(chart, shown, { by, href: (r) => eventsHref(filters, r.period, by),
        label: `Events per ${by} by quad class, with the average Goldstein score` });
      chart.dataset.from = shown.length ? shown[0].period : "";
      chart.dataset.to = shown.length ? shown[shown.length - 1].period : "";
      note(data);
      outliers(data, filters);
      showMatched(data.matched);
      downloads(document.getElementById("downloads"), "/api/timeline", Object.assign({}, filters, { by }));
      const range = shown.length > 1 ? `, ${shown[0].period} to ${shown[shown.length - 1].period}` : "";
      const far = data.outliers && params.span !== "all" ? ` (and ${fmt(data.outliers)} on outlying dates, listed below)` : "";
      status(`${fmt(data.total - (params.span === "all" ? 0 : data.outliers))} events on ${shown.length} ${by}${shown.length === 1 ? "" : "s"}${range}${far}`);
    } catch (e) {
      clear(chart);
      fail(e);
    }
  }

  legend(document.getElementById("legend"), [...Object.values(QUADS).map((q) => [q.color, q.name]), ["#333333", "average Goldstein (right axis)"]]);
  const extra = () => Object.assign({ by: byNode.value }, allNode.checked ? { span: "all" } : {});
  filterForm(load, extra).then((current) => {
    reloadOn([byNode, allNode], current, load);
    load(urlParams());
  }).catch(fail);
})();
