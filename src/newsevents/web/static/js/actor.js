/* /actors/{code} and /people/{name}: an actor at a glance (events per month as source and target, the
 * cooperation/conflict mix, the main partners with a link to both directions with each, the most reported
 * quotes), then its events as source and as target, and its quotes.
 * A code's page (USAGOV, under its one name "United States (government)") has every event whose code starts
 * with the code, its people's included, and lists those people; a person's page has only that person's events
 * and quotes, by their name, and links to the code they act for. */
(function () {
  "use strict";
  const { el, api, clear, append, status, fail, cameo, fmt, eventRow, lastPathSegment, actorHref, quadBadge, QUADS } = window.NE;
  const { periods } = window.NE.charts;
  const LIMIT = 50;
  const isPerson = window.location.pathname.startsWith("/people/");

  function fill(tableId, moreId, page, codes, filter) {
    const body = clear(document.querySelector(`#${tableId} tbody`));
    for (const ev of page.items) body.appendChild(eventRow(ev, codes));
    if (!page.items.length) body.appendChild(el("tr", {}, el("td", { colspan: "9", class: "muted" }, "None.")));
    const more = clear(document.getElementById(moreId));
    if (page.more) append(more, [el("a", { href: `/events?${new URLSearchParams(filter)}` }, "All of them on the events page →")]);
  }

  /** The actor, its summary, its event filters (as source, as target), its quotes' filter and its value as
   * a dyad's side. */
  async function identify(key) {
    const path = isPerson ? `/api/people/${encodeURIComponent(key)}` : `/api/actors/${encodeURIComponent(key)}`;
    const [actor, summary] = await Promise.all([api(path), api(`${path}/summary`)]);
    if (isPerson) {
      return { actor, summary, side: actor.name, source: { actor_person: actor.name }, target: { target_person: actor.name },
        quotes: { person: actor.name } };
    }
    return { actor, summary, side: key, source: { actor: key }, target: { target: key }, quotes: { actor: key } };
  }

  /** Events per month (as source or target), the quad mix, the main partners and the most reported quotes. */
  function showSummary(who) {
    const s = who.summary;
    // no links on these bars: a bar counts events as source or target, which no one filter of the events page lists
    periods(document.getElementById("months"), s.months, { by: "month", label: "Events per month as source or target",
      empty: "No events dated to the month or day." });
    const note = document.getElementById("months-note");
    note.textContent = `${s.months.reduce((n, r) => n + r.as_source, 0)} as source, ${s.months.reduce((n, r) => n + r.as_target, 0)} as target` +
      (s.coarser ? `; ${s.coarser} dated only to the year, not in the bars` : "");
    const quads = clear(document.querySelector("#quads tbody"));
    for (const q of s.quads) {
      quads.appendChild(el("tr", {}, el("td", {}, quadBadge(q.quad_class), " ", QUADS[q.quad_class] ? QUADS[q.quad_class].name : ""),
        el("td", { class: "num" }, fmt(q.as_source)), el("td", { class: "num" }, fmt(q.as_target))));
    }
    if (!s.quads.length) quads.appendChild(el("tr", {}, el("td", { colspan: "3", class: "muted" }, "No events.")));
    const partners = clear(document.querySelector("#partners tbody"));
    for (const p of s.partners) {
      partners.appendChild(el("tr", { data: { key: p.key } },
        el("td", {}, el("a", { href: actorHref(p.kind, p.code, p.name, p.article_id) }, p.name || p.code),
          p.code && p.kind !== "code" ? [" ", el("span", { class: "code" }, p.code)] : null),
        el("td", { class: "num" }, fmt(p.events)), el("td", { class: "num" }, fmt(p.cooperation)), el("td", { class: "num" }, fmt(p.conflict)),
        el("td", {}, el("a", { href: `/dyad?${new URLSearchParams({ a: who.side, b: p.key })}`, class: "dyad-link", title: "Both directions" }, "⇄"))));
    }
    if (!s.partners.length) partners.appendChild(el("tr", {}, el("td", { colspan: "5", class: "muted" }, "No partners.")));
    const quotes = clear(document.getElementById("top-quotes"));
    for (const q of s.quotes) {
      quotes.appendChild(el("li", {},
        el("blockquote", { class: "quote" }, q.text),
        el("div", { class: "muted" }, `— ${q.speaker || ""}${q.date ? `, ${q.date}` : ""} · in ${fmt(q.articles)} article${q.articles === 1 ? "" : "s"} · `,
          el("a", { href: `/articles/${encodeURIComponent(q.article_id)}#q-${q.quote_idx}` }, "in context"))));
    }
    if (!s.quotes.length) quotes.appendChild(el("li", { class: "muted" }, "No quotes."));
  }

  function describe(actor) {
    const meta = clear(document.getElementById("meta"));
    const articles = actor.articles ? `Mentioned in ${fmt(actor.articles)} article(s)` : "No entity in the store carries exactly this";
    if (actor.kind === "person") {
      append(meta, [`Person. ${articles}${actor.country ? ` · country ${actor.country}` : ""}.`]);
      if (actor.codes.length) {
        append(meta, [" Acts for ", actor.codes.map((c, i) => [i ? ", " : "",
          el("a", { href: actorHref("code", c.code) }, el("span", { class: "code" }, c.code))]),
          " (its page has the events of everyone coded so). Below: this person's own events and quotes."]);
      }
      return;
    }
    append(meta, [`${articles}${actor.articles ? "" : " code"}${actor.country ? ` · country ${actor.country}` : ""}. `,
      `The events below are those whose actor code starts with ${actor.code}, or whose actor name contains it.`]);
    const people = clear(document.getElementById("people"));
    if (actor.people.length) {
      append(people, [`People coded ${actor.code}, each with a page of their own: `, actor.people.map((p, i) => [i ? ", " : "",
        el("a", { href: actorHref("person", actor.code, p.name) }, p.name)])]);
    }
  }

  async function load() {
    const key = lastPathSegment();
    status("Loading…");
    try {
      const [codes, who] = await Promise.all([cameo(), identify(key)]);
      const { actor } = who;
      showSummary(who);
      const [asSource, asTarget, quotes] = await Promise.all([
        api("/api/events", Object.assign({ limit: LIMIT }, who.source)),
        api("/api/events", Object.assign({ limit: LIMIT }, who.target)),
        api("/api/quotes", Object.assign({ limit: 20 }, who.quotes))]);
      const heading = clear(document.getElementById("heading"));
      append(heading, [actor.name, actor.code ? [" ", el("span", { class: "code" }, actor.code)] : null]);
      document.title = `${actor.name} · newsevents`;
      describe(actor);
      fill("as-source", "more-source", asSource, codes, who.source);
      fill("as-target", "more-target", asTarget, codes, who.target);
      const list = clear(document.getElementById("quotes"));
      for (const q of quotes.items) {
        append(list, [el("li", {},
          el("blockquote", { class: ["quote", `kind-${q.kind}`], data: { speaker: q.speaker_canonical || q.speaker } }, q.text),
          el("div", { class: "muted" }, `— ${q.speaker_canonical || q.speaker} (${q.kind}${q.date ? `, ${q.date}` : ""}) · `,
            el("a", { href: `/articles/${encodeURIComponent(q.article_id)}#q-${q.quote_idx}` }, "in context")))]);
      }
      if (!quotes.items.length) list.appendChild(el("li", { class: "muted" }, "No quotes attributed to this actor."));
      const moreQuotes = clear(document.getElementById("more-quotes"));
      if (quotes.more) append(moreQuotes, [el("a", { href: `/quotes?${new URLSearchParams(isPerson ? { actor: actor.name } : who.quotes)}` }, `All ${fmt(quotes.total)} on the quotes page →`)]);
      status("");
    } catch (e) {
      fail(e);
    }
  }

  load();
})();
