/* /events: the filter form, a page of deduplicated events, previous/next. */
(function () {
  "use strict";
  const { el, api, clear, status, fail, cameo, eventRow, filterForm, pager, urlParams, setUrlParams } = window.NE;
  const PAGE = 50;
  const table = document.getElementById("events");
  const body = table.querySelector("tbody");
  const pagerNode = document.getElementById("pager");

  async function load(params) {
    status("Loading…");
    try {
      const [codes, page] = await Promise.all([cameo(), api("/api/events", Object.assign({ limit: PAGE }, params))]);
      clear(body);
      for (const ev of page.items) body.appendChild(eventRow(ev, codes));
      if (!page.items.length) body.appendChild(el("tr", {}, el("td", { colspan: "9", class: "muted" }, "No events match these filters.")));
      status(`${page.offset + page.items.length}${page.more ? "+" : ""} events`);
      table.dataset.query = String(new URLSearchParams(params)); // what the rows answer (for tests and bookmarks)
      pager(pagerNode, page, (offset) => {
        const next = Object.assign({}, params, { offset: offset || "" });
        setUrlParams(next);
        load(next);
      });
    } catch (e) {
      clear(body);
      fail(e);
    }
  }

  filterForm(load).then(() => load(urlParams())).catch(fail);
})();
