/* /events/{id}: one deduplicated event and every mention of it. */
(function () {
  "use strict";
  const { el, api, clear, append, status, fail, cameo, cameoName, fmt, actorLink, sideActor, quadBadge, QUADS, lastPathSegment } = window.NE;

  function row(dl, label, ...value) {
    append(dl, [el("dt", {}, label), el("dd", {}, ...value)]);
  }

  async function load() {
    const id = lastPathSegment();
    status("Loading…");
    try {
      const [codes, ev] = await Promise.all([cameo(), api(`/api/events/${encodeURIComponent(id)}`)]);
      const name = cameoName(codes, ev.cameo);
      const heading = clear(document.getElementById("heading"));
      append(heading, [el("span", { class: "code" }, ev.cameo), " ", name || "Event"]);
      document.title = `${ev.cameo} ${name} · newsevents`;
      const dl = clear(document.getElementById("details"));
      row(dl, "Date", `${ev.date || "unknown"}${ev.date_precision ? ` (${ev.date_precision})` : ""}`);
      row(dl, "Source", actorLink(sideActor(ev, "source")));
      row(dl, "Target", actorLink(sideActor(ev, "target")));
      row(dl, "Quad class", quadBadge(ev.quad_class), " ", QUADS[ev.quad_class] ? QUADS[ev.quad_class].name : "");
      row(dl, "Goldstein", fmt(ev.goldstein, 1));
      if (ev.plover) row(dl, "PLOVER", ev.plover);
      if (ev.location_name) {
        row(dl, "Place", el("a", { href: `/events?place=${encodeURIComponent(ev.geonameid || ev.location_name)}` },
          ev.location_name), ev.location_country ? ` (${ev.location_country})` : "");
      }
      row(dl, "Reported", `${fmt(ev.num_mentions)} mention(s) in ${fmt(ev.num_articles)} article(s) from ${fmt(ev.num_sources)} source(s)`);
      row(dl, "Confidence", fmt(ev.confidence, 2));
      row(dl, "Event id", el("span", { class: "code" }, ev.event_id));
      const list = clear(document.getElementById("mentions"));
      for (const m of ev.mentions) {
        append(list, [el("li", { class: "card" },
          el("div", { class: "card-head" },
            el("a", { href: `/articles/${encodeURIComponent(m.article_id)}#ev-${m.start}` }, m.title || m.article_id)),
          el("div", { class: "muted" }, [m.published, m.source, m.is_copy ? "near-duplicate copy" : null,
            `confidence ${fmt(m.confidence, 2)}`].filter(Boolean).join(" · ")),
          el("blockquote", { class: "evidence" }, m.evidence || ""))]);
      }
      status("");
    } catch (e) {
      fail(e);
    }
  }

  load();
})();
