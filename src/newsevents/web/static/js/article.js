/* /articles/{id}: the article's text with its extractions highlighted, and its events and quotes beside it.
 *
 * Highlights are spans over character offsets: quotes (data-speaker; the speaker is shown by CSS from that
 * attribute and on hover by title), evidence sentences of events (id ev-<start>), entity mentions and dates.
 * They can overlap, so the text is cut into nested elements: at each level the highest-priority annotations
 * that do not overlap one another become elements, and everything else is cut to fit inside or around them.
 * Only the first piece of a cut annotation carries its id and data attributes.
 */
(function () {
  "use strict";
  const { el, api, clear, append, status, fail, cameo, cameoName, fmt, actorHref, actorLink, sideActor, quadBadge, lastPathSegment, legend, safeUrl } = window.NE;

  const PRIORITY = { quote: 4, evidence: 3, mention: 2, date: 1 };
  const ENTITY_TYPES = { PERSON: "person", ORG: "org", GPE: "place", LOC: "place", NORP: "group", GROUP: "group" };

  function entityClass(type) {
    return `ent-${ENTITY_TYPES[type] || "other"}`;
  }

  /** Nest annotations [{start, end, prio, make(isHead) -> Element}] over text[lo:hi] into parent. */
  function render(parent, text, lo, hi, annotations) {
    const anns = [];
    for (const a of annotations) {
      const start = Math.max(a.start, lo);
      const end = Math.min(a.end, hi);
      if (end > start) anns.push(start === a.start && end === a.end ? a : Object.assign({}, a, { start, end }));
    }
    if (!anns.length) {
      if (hi > lo) parent.appendChild(document.createTextNode(text.slice(lo, hi)));
      return;
    }
    const byRank = anns.slice().sort((a, b) => b.prio - a.prio || (b.end - b.start) - (a.end - a.start) || a.start - b.start);
    const tops = [];
    for (const a of byRank) if (!tops.some((t) => t.start < a.end && a.start < t.end)) tops.push(a);
    tops.sort((a, b) => a.start - b.start);
    const rest = anns.filter((a) => !tops.includes(a));
    let cursor = lo;
    for (const t of tops) {
      render(parent, text, cursor, t.start, rest);
      const node = t.make(t.start === t.origin);
      parent.appendChild(node);
      render(node, text, t.start, t.end, rest);
      cursor = t.end;
    }
    render(parent, text, cursor, hi, rest);
  }

  function annotation(kind, start, end, make) {
    return { start, end, origin: start, prio: PRIORITY[kind], make };
  }

  function validRange(text, start, end) {
    return Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= text.length;
  }

  function quoteAnnotation(q, shortSpeaker) {
    const speaker = q.speaker_canonical || q.speaker || "unknown speaker";
    return annotation("quote", q.start, q.end, (head) => el("span", {
      class: ["quote", `kind-${q.kind}`, head ? "head" : "cont"],
      id: head ? `q-${q.quote_idx}` : null,
      title: `${speaker}${q.speaker && q.speaker !== speaker ? ` (“${q.speaker}”)` : ""}, ${q.kind} quote${q.cue ? `, ${q.cue}` : ""}`,
      data: head ? { speaker, speakerLabel: shortSpeaker(speaker, q.speaker_kind), quoteIdx: q.quote_idx } : {},
    }));
  }

  // Longest label over a quote before a person's name is cut to its first and last words.
  const LABEL_MAX = 22;

  function shortSpeakerFn() {
    // The label is the speaker's whole name: a two-word name has no part that is safely its short form ("North
    // Korea" is not "Korea", "Kim Jong-il" not "Jong-il", "Defense Ministry" not "Ministry"). Only a long
    // person's name drops its middle words ("Mohammed bin Salman Al Saud" → "Mohammed Saud").
    return (name, kind) => {
      const words = name.split(/\s+/);
      return kind === "person" && name.length > LABEL_MAX && words.length > 2 ? `${words[0]} ${words[words.length - 1]}` : name;
    };
  }

  function evidenceAnnotations(text, events, codes) {
    const bySpan = new Map();
    for (const ev of events) {
      if (!validRange(text, ev.start, ev.end)) continue;
      const key = `${ev.start}:${ev.end}`;
      if (!bySpan.has(key)) bySpan.set(key, []);
      bySpan.get(key).push(ev);
    }
    const out = [];
    for (const evs of bySpan.values()) {
      const { start, end } = evs[0];
      const title = evs.map((ev) => `${ev.cameo} ${cameoName(codes, ev.cameo)}: ${ev.source_name || "?"} → ${ev.target_name || "—"}` +
        ` (confidence ${fmt(ev.confidence, 2)}${ev.negated ? ", negated" : ""})`).join("\n");
      out.push(annotation("evidence", start, end, (head) => el("span", {
        class: ["evidence", head ? "head" : "cont", evs.every((ev) => ev.negated) ? "negated" : null],
        id: head ? `ev-${start}` : null,
        title,
        data: { evidenceStart: start, events: evs.map((ev) => ev.event_idx).join(" ") },
      })));
    }
    return out;
  }

  function mentionAnnotations(text, mentions, entities) {
    const byId = new Map(entities.map((e) => [e.entity_id, e]));
    const seen = new Set();
    const out = [];
    for (const m of mentions) {
      const key = `${m.start}:${m.end}`;
      if (!validRange(text, m.start, m.end) || seen.has(key)) continue;
      seen.add(key);
      const entity = byId.get(m.entity_id) || {};
      // why: how the actor's country was decided, and how this mention joined it (a pronoun, a title, ...)
      const title = [entity.canonical || m.text, entity.type, entity.code,
        entity.basis ? `country from ${entity.basis}` : null,
        m.kind && m.kind !== "name" ? `“${m.text}” as ${m.kind}` : null].filter(Boolean).join(" · ");
      out.push(annotation("mention", m.start, m.end, () => {
        // a person's mention opens their own page, another actor's its code's
        const href = entity.type === "PERSON" && entity.canonical ? actorHref("person", entity.code, entity.canonical)
          : entity.code ? actorHref("code", entity.code) : null;
        const node = el("span", { class: ["mention", entityClass(entity.type), href ? "has-code" : null], title,
          data: { entity: m.entity_id, code: entity.code } });
        if (href) {
          node.addEventListener("click", (e) => {
            if (e.target.closest("a")) return;
            window.location.href = href;
          });
        }
        return node;
      }));
    }
    return out;
  }

  function dateAnnotations(text, dates) {
    return dates.filter((d) => validRange(text, d.start, d.end)).map((d) =>
      annotation("date", d.start, d.end, () => el("span", { class: "date", title: `${d.value || "?"} (${d.precision || "date"})` })));
  }

  function eventCard(ev, codes) {
    const name = cameoName(codes, ev.cameo);
    const heading = ev.event_id
      ? el("a", { href: `/events/${encodeURIComponent(ev.event_id)}` }, el("span", { class: "code" }, ev.cameo), " ", name)
      : el("span", {}, el("span", { class: "code" }, ev.cameo), " ", name);
    const flags = [ev.negated ? "negated" : null, ev.hypothetical ? "hypothetical" : null].filter(Boolean);
    const card = el("li", { class: ["card", "event-card", ev.negated ? "negated" : null], data: { evidenceStart: ev.start } },
      el("div", { class: "card-head" }, quadBadge(ev.quad_class), " ", heading),
      el("div", {}, actorLink(sideActor(ev, "source")), " → ", actorLink(sideActor(ev, "target"))),
      el("div", { class: "muted" }, [ev.date, ev.location_name, `confidence ${fmt(ev.confidence, 2)}`,
        `Goldstein ${fmt(ev.goldstein, 1)}`, ...flags].filter(Boolean).join(" · ")),
      el("a", { href: `#ev-${ev.start}`, class: "small" }, "show the sentence"));
    const focus = (on) => document.querySelectorAll(`.evidence[data-evidence-start="${Number(ev.start)}"]`)
      .forEach((n) => n.classList.toggle("focus", on));
    card.addEventListener("mouseenter", () => focus(true));
    card.addEventListener("mouseleave", () => focus(false));
    return card;
  }

  function quoteCard(q) {
    const speaker = q.speaker_canonical || q.speaker || "unknown speaker";
    const where = q.field === "text" ? el("a", { href: `#q-${q.quote_idx}`, class: "small" }, "show in the text")
      : el("span", { class: "small muted" }, q.field === "title" ? "in the headline" : "in a related article's title");
    return el("li", { class: ["card", "quote-card", `kind-${q.kind}`] },
      el("div", { class: "card-head" }, q.speaker_kind ? actorLink({ kind: q.speaker_kind, name: speaker, code: q.speaker_code })
        : el("strong", {}, speaker),
        el("span", { class: "muted" }, ` · ${q.kind}${q.cue ? `, ${q.cue}` : ""}`)),
      el("blockquote", {}, q.text), where);
  }

  function meta(a) {
    const node = clear(document.getElementById("meta"));
    const url = safeUrl(a.url);
    const parts = [a.published ? String(a.published) : null, a.source,
      a.dateline, a.credit, a.tone !== null && a.tone !== undefined ? `tone ${fmt(a.tone, 2)}` : null,
      `${fmt(a.words)} words`].filter(Boolean);
    append(node, [parts.join(" · ")]);
    if (url) append(node, [" · ", el("a", { href: url, rel: "noreferrer noopener", target: "_blank" }, "original")]);
    append(node, [" · ", el("span", { class: "code" }, a.id)]);
    const themes = [...new Set((a.themes || []).map((t) => t.theme))];
    if (themes.length) {
      append(node, [el("br"), "Themes: ", themes.map((t, i) => [i ? ", " : "",
        el("a", { href: `/events?${new URLSearchParams({ theme: t })}`, class: "theme", title: "Events reported by articles with this theme" },
          t.toLowerCase().replace(/_/g, " "))])]);
    }
    const amounts = (a.amounts || []).filter((m) => m.text);
    if (amounts.length) {
      append(node, [el("br"), "Amounts: ", amounts.slice(0, 12).map((m, i) => [i ? "; " : "",
        el("span", { title: [m.object, m.value !== null && m.value !== undefined ? fmt(m.value) : null].filter(Boolean).join(": ") }, m.text)]),
        amounts.length > 12 ? ` and ${amounts.length - 12} more` : ""]);
    }
    if (a.copies && a.copies.length) {
      append(node, [el("br"), "Also reported as: "]);
      a.copies.forEach((c, i) => append(node, [i ? ", " : "", el("a", { href: `/articles/${encodeURIComponent(c.article_id)}` }, c.title || c.article_id)]));
    }
  }

  function showLegend() {
    legend(document.getElementById("legend"), [
      ["#fff3b0", "quote (speaker above it)"], ["#dbe9f6", "event evidence"], ["#e8d9f3", "person"],
      ["#d9f0e0", "place"], ["#fde2cf", "organisation / group"]]);
  }

  async function load() {
    const id = lastPathSegment();
    status("Loading…");
    try {
      const [codes, a] = await Promise.all([cameo(), api(`/api/articles/${encodeURIComponent(id)}`)]);
      document.title = `${a.title || a.id} · newsevents`;
      const short = shortSpeakerFn();
      const title = a.title || "";
      const titleQuotes = a.quotes.filter((q) => q.field === "title" && validRange(title, q.start, q.end));
      render(clear(document.getElementById("title")), title, 0, title.length, titleQuotes.map((q) => quoteAnnotation(q, short)));
      meta(a);

      const related = clear(document.getElementById("related"));
      for (const r of a.related || []) {
        const t = r.title || "";
        const quotes = a.quotes.filter((q) => q.field === "related" && validRange(t, q.start, q.end) && t.slice(q.start, q.end) === q.text);
        const item = el("li", {}, "Related: ");
        const link = safeUrl(r.url) ? el("a", { href: r.url, rel: "noreferrer noopener", target: "_blank" }) : el("span");
        render(link, t, 0, t.length, quotes.map((q) => quoteAnnotation(q, short)));
        related.appendChild(append(item, [link]));
      }

      const text = a.text || "";
      const textQuotes = a.quotes.filter((q) => q.field === "text" && validRange(text, q.start, q.end));
      const anns = [
        ...textQuotes.map((q) => quoteAnnotation(q, short)),
        ...evidenceAnnotations(text, a.events, codes),
        ...mentionAnnotations(text, a.mentions, a.entities),
        ...dateAnnotations(text, a.dates),
      ];
      const body = clear(document.getElementById("text"));
      render(body, text, 0, text.length, anns);
      // a quote inside a quote of the same speaker (a partial quote within an indirect one) needs no second label
      for (const inner of body.querySelectorAll(".quote .quote[data-speaker-label]")) {
        const outer = inner.parentElement.closest(".quote[data-speaker]");
        if (outer && outer.dataset.speaker === inner.dataset.speaker) delete inner.dataset.speakerLabel;
      }

      const events = clear(document.getElementById("events"));
      for (const ev of a.events) events.appendChild(eventCard(ev, codes));
      if (!a.events.length) events.appendChild(el("li", { class: "muted" }, "No events coded in this article."));
      const quotes = clear(document.getElementById("quotes"));
      for (const q of a.quotes) quotes.appendChild(quoteCard(q));
      if (!a.quotes.length) quotes.appendChild(el("li", { class: "muted" }, "No quotes found."));
      showLegend();
      status("");
      if (window.location.hash) {
        const target = document.getElementById(window.location.hash.slice(1));
        if (target) {
          target.classList.add("focus");
          target.scrollIntoView({ block: "center" });
        }
      }
    } catch (e) {
      fail(e);
    }
  }

  load();
})();
