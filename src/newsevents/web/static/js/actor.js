/* /actors/{code}: an actor's events as source and as target, and its quotes. */
(function () {
  "use strict";
  const { el, api, clear, append, status, fail, cameo, fmt, eventRow, lastPathSegment } = window.NE;
  const LIMIT = 50;

  function fill(tableId, moreId, page, codes, filter) {
    const body = clear(document.querySelector(`#${tableId} tbody`));
    for (const ev of page.items) body.appendChild(eventRow(ev, codes));
    if (!page.items.length) body.appendChild(el("tr", {}, el("td", { colspan: "9", class: "muted" }, "None.")));
    const more = clear(document.getElementById(moreId));
    if (page.more) append(more, [el("a", { href: `/events?${new URLSearchParams(filter)}` }, "All of them on the events page →")]);
  }

  async function load() {
    const code = lastPathSegment();
    status("Loading…");
    try {
      const [codes, found, asSource, asTarget, quotes] = await Promise.all([
        cameo(), api("/api/actors", { contains: code, limit: 100 }),
        api("/api/events", { actor: code, limit: LIMIT }), api("/api/events", { target: code, limit: LIMIT }),
        api("/api/quotes", { speaker: code, limit: 20 })]);
      const actor = found.items.find((a) => a.code === code);
      const heading = clear(document.getElementById("heading"));
      append(heading, [actor && actor.name ? actor.name : code, " ", el("span", { class: "code" }, code)]);
      document.title = `${actor && actor.name ? actor.name : code} · newsevents`;
      const meta = clear(document.getElementById("meta"));
      append(meta, [actor ? `Mentioned in ${fmt(actor.articles)} article(s)${actor.country ? ` · country ${actor.country}` : ""}. `
        : "No entity in the store carries exactly this code. ",
        `The events below are those whose actor code starts with ${code}, or whose actor name contains it.`]);
      fill("as-source", "more-source", asSource, codes, { actor: code });
      fill("as-target", "more-target", asTarget, codes, { target: code });
      const list = clear(document.getElementById("quotes"));
      for (const q of quotes.items) {
        append(list, [el("li", {},
          el("blockquote", { class: ["quote", `kind-${q.kind}`], data: { speaker: q.speaker_canonical || q.speaker } }, q.text),
          el("div", { class: "muted" }, `— ${q.speaker_canonical || q.speaker} (${q.kind}${q.date ? `, ${q.date}` : ""}) · `,
            el("a", { href: `/articles/${encodeURIComponent(q.article_id)}#q-${q.quote_idx}` }, "in context")))]);
      }
      if (!quotes.items.length) list.appendChild(el("li", { class: "muted" }, "No quotes attributed to this actor."));
      status("");
    } catch (e) {
      fail(e);
    }
  }

  load();
})();
