/* /events: the filter form and a sortable page of deduplicated events with their total, page size, downloads
 * of every matching row, previous/next (NE.listingPage), and a link to both directions between the two
 * actors filtered on. */
(function () {
  "use strict";
  const { el, clear, cameo, eventRow, listingPage, COMMON_FILTERS, EVENT_COLUMNS } = window.NE;

  /** Both directions between the actor and the target filtered on, with the same other filters. */
  function dyadLink(page, params) {
    const node = clear(document.getElementById("dyad-link"));
    if (!params.actor || !params.target) return;
    const q = { a: params.actor, b: params.target };
    for (const k of COMMON_FILTERS) if (params[k]) q[k] = params[k];
    node.appendChild(el("a", { href: `/dyad?${new URLSearchParams(q)}`, class: "button-link", id: "to-dyad" },
      "Both directions ⇄"));
  }

  listingPage({ table: "events", path: "/api/events", columns: EVENT_COLUMNS, noun: "event",
    empty: "No events match these filters.", prepare: cameo, row: (ev, codes) => eventRow(ev, codes), show: dyadLink });
})();
