/* /dyad: two actors, both ways. The form names A and B (codes, names or network keys) and the other event
 * filters; the page shows each direction's events, cooperation and conflict, one timeline stacked by quad
 * class with each direction's average Goldstein score, the event-type mix, and the events of both directions
 * in one sortable table (downloadable whole; NE.listingPage). */
(function () {
  "use strict";
  const { el, clear, append, cameo, cameoName, eventRow, listingPage, legend, fmt, QUADS, EVENT_COLUMNS, COMMON_FILTERS } = window.NE;
  const { periods, periodRange } = window.NE.charts;
  const byNode = document.getElementById("by");
  const WAY = { a_to_b: "A → B", b_to_a: "B → A" };

  /** The events page for one direction, with the dyad's other filters. */
  function eventsHref(params, sides) {
    const q = {};
    for (const k of COMMON_FILTERS) if (params[k]) q[k] = params[k];
    return `/events?${new URLSearchParams(Object.assign(q, sides))}`;
  }

  function figure(value, label, id, href) {
    return el("div", { class: "figure", id }, el("strong", {}, href ? el("a", { href }, fmt(value)) : fmt(value)), el("span", {}, label));
  }

  function way(d, key, from, to) {
    const w = d.directions[key];
    return `${from} → ${to} (${fmt(w.cooperation)} cooperation, ${fmt(w.conflict)} conflict, avg. Goldstein ${fmt(w.avg_goldstein, 2) || "—"})`;
  }

  function show(d, params, codes) {
    const by = params.by || "month";
    const names = { a: d.a.label || params.a, b: d.b.label || params.b };
    append(clear(document.getElementById("heading")), [names.a, el("span", { class: "muted" }, " ⇄ "), names.b]);
    document.title = `${names.a} ⇄ ${names.b} · newsevents`;
    append(clear(document.getElementById("summary")), [
      figure(d.total, "events both ways", "total-both"),
      figure(d.directions.a_to_b.events, way(d, "a_to_b", names.a, names.b), "total-ab", eventsHref(params, { actor: params.a, target: params.b })),
      figure(d.directions.b_to_a.events, way(d, "b_to_a", names.b, names.a), "total-ba", eventsHref(params, { actor: params.b, target: params.a })),
    ]);
    const filters = Object.assign({}, params);
    for (const k of ["by", "sort", "limit", "offset"]) delete filters[k];
    // a bar opens the dyad for its period, a finer count (what it holds is what it counts: the same rule)
    periods(document.getElementById("chart"), d.timeline, { by, label: `Events between ${names.a} and ${names.b} per ${by}`,
      href: (r) => `/dyad?${new URLSearchParams(Object.assign({}, filters, periodRange(r.period, by), { by: by === "year" ? "month" : "day" }))}`,
      lines: [{ key: "avg_goldstein_a_to_b", cls: "goldstein-ab", label: `avg. Goldstein ${names.a} → ${names.b}` },
        { key: "avg_goldstein_b_to_a", cls: "goldstein-ba", label: `avg. Goldstein ${names.b} → ${names.a}` }] });
    legend(document.getElementById("legend"), [...Object.values(QUADS).map((q) => [q.color, q.name]),
      ["#333333", `avg. Goldstein ${names.a} → ${names.b} (solid)`], ["#8a6bb0", `${names.b} → ${names.a} (dashed)`]]);
    document.getElementById("coarser").textContent = d.coarser
      ? `${fmt(d.coarser)} event${d.coarser === 1 ? "" : "s"} dated less precisely than a ${by}: not in the bars.` : "";
    const types = clear(document.querySelector("#types tbody"));
    for (const t of d.types) {
      types.appendChild(el("tr", { data: { root: t.root } },
        el("td", {}, el("span", { class: "code" }, t.root), " ", cameoName(codes, t.root)),
        el("td", { class: "num" }, fmt(t.a_to_b)), el("td", { class: "num" }, fmt(t.b_to_a))));
    }
    if (!d.types.length) types.appendChild(el("tr", {}, el("td", { colspan: "3", class: "muted" }, "None.")));
  }

  listingPage({ table: "events", path: "/api/dyad", columns: [{ label: "Way", sort: "direction" }, ...EVENT_COLUMNS],
    noun: "event", empty: "No events between them match these filters.", prepare: cameo,
    row: (ev, codes) => eventRow(ev, codes, WAY), show,
    need: (params) => {
      byNode.value = params.by || "month";
      return params.a && params.b ? null
        : "Name two actors (a code such as USA, a name such as North Korea, or a person) to see what passed between them, both ways.";
    },
    extra: () => ({ by: byNode.value }),
    ready: (current, go) => byNode.addEventListener("change", () => go(current())) });
})();
