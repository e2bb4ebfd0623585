/* /actors/{code} and /people/{name}: an actor's events as source and as target, and its quotes.
 * A code's page (USAGOV, under its one name "United States (government)") has every event whose code starts
 * with the code, its people's included, and lists those people; a person's page has only that person's events
 * and quotes, by their name, and links to the code they act for. */
(function () {
  "use strict";
  const { el, api, clear, append, status, fail, cameo, fmt, eventRow, lastPathSegment, actorHref } = window.NE;
  const LIMIT = 50;
  const isPerson = window.location.pathname.startsWith("/people/");

  function fill(tableId, moreId, page, codes, filter) {
    const body = clear(document.querySelector(`#${tableId} tbody`));
    for (const ev of page.items) body.appendChild(eventRow(ev, codes));
    if (!page.items.length) body.appendChild(el("tr", {}, el("td", { colspan: "9", class: "muted" }, "None.")));
    const more = clear(document.getElementById(moreId));
    if (page.more) append(more, [el("a", { href: `/events?${new URLSearchParams(filter)}` }, "All of them on the events page →")]);
  }

  /** The actor, its event filters (as source, as target) and its quotes' filter. */
  async function identify(key) {
    if (isPerson) {
      const actor = await api(`/api/people/${encodeURIComponent(key)}`);
      return { actor, source: { actor_person: actor.name }, target: { target_person: actor.name }, quotes: { person: actor.name } };
    }
    const actor = await api(`/api/actors/${encodeURIComponent(key)}`);
    return { actor, source: { actor: key }, target: { target: key }, quotes: { speaker: key } };
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
      status("");
    } catch (e) {
      fail(e);
    }
  }

  load();
})();
