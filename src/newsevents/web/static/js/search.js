/* /: search articles, quotes and actors; with no search, the store's counts and the latest of each. */
(function () {
  "use strict";
  const { el, api, clear, append, status, fail, fmt, urlParams, setUrlParams, actorHref } = window.NE;
  const form = document.getElementById("search");
  const lists = { articles: document.getElementById("articles"), quotes: document.getElementById("quotes"),
    actors: document.getElementById("actors") };

  function articleItem(a) {
    return el("li", { class: "article-hit" },
      el("a", { href: `/articles/${encodeURIComponent(a.id)}` }, a.title || "(untitled)"),
      el("div", { class: "muted" }, [a.published, a.source].filter(Boolean).join(" · ")));
  }

  function quoteItem(q) {
    const speaker = q.speaker_canonical || q.speaker || "unknown speaker";
    const href = q.speaker_kind ? actorHref(q.speaker_kind, q.speaker_code, q.speaker_canonical) : null;
    return el("li", { class: "quote-hit" },
      el("blockquote", { class: ["quote", `kind-${q.kind}`], data: { speaker } }, q.text),
      el("div", { class: "muted" }, "— ", href ? el("a", { href }, speaker) : speaker,
        ` (${q.kind}${q.date ? `, ${q.date}` : ""}) · `,
        el("a", { href: `/articles/${encodeURIComponent(q.article_id)}#q-${q.quote_idx}` }, "in context")));
  }

  function actorItem(a) {
    return el("li", { data: { kind: a.kind } },
      el("a", { href: actorHref(a.kind, a.code, a.name) }, a.name || a.code), " ",
      el("span", { class: "code" }, a.code),
      el("span", { class: "muted" }, ` · ${a.kind === "person" ? "person · " : ""}${fmt(a.articles)} article${a.articles === 1 ? "" : "s"}`));
  }

  function show(name, rows, item, empty) {
    clear(lists[name]);
    for (const row of rows) lists[name].appendChild(item(row));
    if (!rows.length) lists[name].appendChild(el("li", { class: "muted" }, empty));
  }

  async function showStats() {
    const node = clear(document.getElementById("stats"));
    const s = await api("/api/stats");
    const figures = [["articles", s.articles], ["events", s.events], ["event reports", s.event_reports],
      ["quotes", s.quotes], ["entities", s.entities], ["rejected inputs", s.rejected]];
    for (const [label, value] of figures) append(node, [el("div", { class: "figure" }, el("strong", {}, fmt(value)), el("span", {}, label))]);
    if (s.published_from) node.appendChild(el("div", { class: "figure" }, el("strong", {}, `${s.published_from} – ${s.published_to}`), el("span", {}, "published")));
  }

  async function load(q) {
    form.elements.q.value = q || "";
    try {
      if (q) {
        status("Searching…");
        clear(document.getElementById("stats"));
        const r = await api("/api/search", { q, limit: 20 });
        show("articles", r.articles, articleItem, "No article contains this.");
        show("quotes", r.quotes, quoteItem, "No quote contains these words.");
        show("actors", r.actors, actorItem, "No actor matches.");
        status(`${r.articles.length} articles, ${r.quotes.length} quotes, ${r.actors.length} actors for “${r.q}”`);
      } else {
        status("");
        const [articles, quotes, actors] = await Promise.all([api("/api/articles", { limit: 10 }),
          api("/api/quotes", { limit: 10 }), api("/api/actors", { limit: 15 })]);
        show("articles", articles.items, articleItem, "No articles stored yet.");
        show("quotes", quotes.items, quoteItem, "No quotes stored yet.");
        show("actors", actors.items, actorItem, "No actors stored yet.");
        await showStats();
      }
    } catch (e) {
      fail(e);
    }
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = form.elements.q.value.trim();
    setUrlParams({ q });
    load(q);
  });
  window.addEventListener("popstate", () => load(urlParams().q || ""));
  load(urlParams().q || "");
})();
