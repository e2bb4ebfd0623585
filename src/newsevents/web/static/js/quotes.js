/* /quotes: every attributed quote, searched by its words (full text, stemmed), speaker, the speaker as an actor
 * (a code, a name, a person), kind and date; sortable, paged, with its total and downloads of every match
 * (NE.listingPage). */
(function () {
  "use strict";
  const { el, listingPage, actorHref } = window.NE;
  const COLUMNS = [{ label: "Date", sort: "date" }, { label: "Speaker", sort: "speaker_canonical" }, { label: "Quote" },
    { label: "Kind", sort: "kind" }, { label: "Article", sort: "article_id" }];

  function row(q) {
    const speaker = q.speaker_canonical || q.speaker || "unknown speaker";
    const href = q.speaker_kind ? actorHref(q.speaker_kind, q.speaker_code, q.speaker_canonical) : null;
    return el("tr", { class: "quote-row", data: { speaker } },
      el("td", { class: "nowrap" }, q.date || ""),
      el("td", {}, href ? el("a", { href }, speaker) : speaker, q.speaker_code ? [" ", el("span", { class: "code" }, q.speaker_code)] : null),
      el("td", {}, el("blockquote", { class: ["quote", `kind-${q.kind}`] }, q.text)),
      el("td", {}, q.kind, q.cue ? el("div", { class: "muted small" }, q.cue) : null),
      el("td", {}, el("a", { href: `/articles/${encodeURIComponent(q.article_id)}#q-${q.quote_idx}` }, "in context")));
  }

  listingPage({ table: "quotes", path: "/api/quotes", columns: COLUMNS, noun: "quote", empty: "No quotes match.", row });
})();
