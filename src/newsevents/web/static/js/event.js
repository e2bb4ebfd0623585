/* /events/{id}: one deduplicated event and every mention of it; the heading says who did what to whom. An
 * unknown id says so in place of the event (the API's 404), with a way back to the events. */
(function () {
  "use strict";
  const { el, api, clear, append, status, fail, cameo, cameoName, fmt, actorLink, sideActor, quadBadge, QUADS, lastPathSegment } = window.NE;

  function row(dl, label, ...value) {
    append(dl, [el("dt", {}, label), el("dd", {}, ...value)]);
  }

  function notFound(id, error) {
    const heading = clear(document.getElementById("heading"));
    heading.textContent = "No such event";
    document.title = "No such event · newsevents";
    const dl = clear(document.getElementById("details"));
    dl.classList.add("empty");
    append(dl, [el("dt", {}, "Event id"), el("dd", {}, el("span", { class: "code" }, id)),
      el("dt", {}, "Why"), el("dd", {}, error.message, ". The store may have been rebuilt since the link was made (event ids follow what is reported). "),
      el("dt", {}, "Instead"), el("dd", {}, el("a", { href: "/events" }, "All events →"))]);
    document.getElementById("mentions-box").hidden = true;
  }

  async function load() {
    const id = lastPathSegment();
    status("Loading…");
    try {
      const [codes, ev] = await Promise.all([cameo(), api(`/api/events/${encodeURIComponent(id)}`)]);
      const name = cameoName(codes, ev.cameo);
      const source = sideActor(ev, "source"), target = sideActor(ev, "target");
      const heading = clear(document.getElementById("heading"));
      // who did what to whom: "Russia (government) · 036 Express intent to meet or negotiate · United States (government)"
      append(heading, [el("span", { class: "who" }, source.name || source.code || "?"), el("span", { class: "arrow" }, " → "),
        el("span", { class: "what" }, el("span", { class: "code" }, ev.cameo), " ", name || "event"),
        target.name || target.code ? [el("span", { class: "arrow" }, " → "), el("span", { class: "whom" }, target.name || target.code)] : null]);
      document.title = `${source.name || "?"} → ${name || ev.cameo}${target.name ? ` → ${target.name}` : ""} · newsevents`;
      const dl = clear(document.getElementById("details"));
      row(dl, "Date", `${ev.date || "unknown"}${ev.date_precision ? ` (${ev.date_precision === "reported" ? "the text does not date it: its earliest report's publication date" : `to the ${ev.date_precision}`})` : ""}`);
      row(dl, "Source", actorLink(source));
      row(dl, "Target", actorLink(target));
      row(dl, "Quad class", quadBadge(ev.quad_class), " ", QUADS[ev.quad_class] ? QUADS[ev.quad_class].name : "");
      row(dl, "Goldstein", fmt(ev.goldstein, 1));
      if (ev.plover) row(dl, "PLOVER", ev.plover);
      if (ev.location_name) {
        row(dl, "Place", el("a", { href: `/events?place=${encodeURIComponent(ev.geonameid || ev.location_name)}` },
          ev.location_name), ev.location_country ? ` (${ev.location_country})` : "");
      }
      row(dl, "Reported", `${fmt(ev.num_mentions)} mention(s) in ${fmt(ev.num_articles)} article(s) from ${fmt(ev.num_sources)} source(s)`);
      row(dl, "Confidence", fmt(ev.confidence, 2));
      if (ev.source_code && ev.target_code) {
        row(dl, "Both ways", el("a", { href: `/dyad?${new URLSearchParams({ a: ev.source_code, b: ev.target_code })}` },
          `every event between ${ev.source_code} and ${ev.target_code}`));
      }
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
      if (/^no event with id/.test(e.message || "") || /event id must be/.test(e.message || "")) {
        notFound(id, e);
        fail(e);
      } else {
        fail(e);
      }
    }
  }

  load();
})();
