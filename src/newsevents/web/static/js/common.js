/* newsevents: helpers shared by every page (window.NE).
 *
 * Every string that comes from the store (titles, quotes, names) enters the page through el()/svg(), which
 * make text nodes and set attributes: never innerHTML. Links to outside pages pass safeUrl() (http/https
 * only). The Content-Security-Policy forbids inline script and style, so styles are classes in style.css or
 * element.style set here.
 */
(function () {
  "use strict";

  const SVG_NS = "http://www.w3.org/2000/svg";

  const QUADS = {
    1: { name: "verbal cooperation", cls: "q1", color: "#7fbf7b" },
    2: { name: "material cooperation", cls: "q2", color: "#1b7837" },
    3: { name: "verbal conflict", cls: "q3", color: "#f4a582" },
    4: { name: "material conflict", cls: "q4", color: "#b2182b" },
  };
  const COOPERATION = "#1b7837";
  const CONFLICT = "#b2182b";
  const NEUTRAL = "#888888";

  /** Append children (strings become text nodes; null/undefined/false are skipped) to node. */
  function append(node, children) {
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) append(node, child);
      else node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  /** Only http(s) URLs (and same-site paths) may become links: an article's url could say javascript:. */
  function safeUrl(url) {
    if (typeof url !== "string" || !url) return null;
    try {
      const u = new URL(url, window.location.origin);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  /**
   * el("a", {href: "/x", class: "c", title: "t", data: {speaker: "P"}, on: {click: fn}}, "text", child...)
   * Attributes are set with setAttribute (values are never parsed as markup); href goes through safeUrl.
   */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    setProps(node, props || {});
    return append(node, children);
  }

  function svg(tag, props, ...children) {
    const node = document.createElementNS(SVG_NS, tag);
    setProps(node, props || {});
    return append(node, children);
  }

  function setProps(node, props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : value);
      else if (key === "data") for (const [k, v] of Object.entries(value)) { if (v !== null && v !== undefined) node.dataset[k] = String(v); }
      else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
      else if (key === "style") Object.assign(node.style, value);
      else if (key === "href") {
        const local = (value.startsWith("/") && !value.startsWith("//")) || value.startsWith("#");
        const u = local ? value : safeUrl(value);
        if (u) node.setAttribute("href", u);
      }
      else node.setAttribute(key, String(value));
    }
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  /** GET an API path with query parameters (empty ones left out); resolves to the JSON, throws its error. */
  async function api(path, params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && String(v).trim() !== "") query.set(k, String(v).trim());
    }
    const url = query.toString() ? `${path}?${query}` : path;
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      throw new Error(`${url}: the server answered ${response.status} without JSON`);
    }
    if (!response.ok) throw new Error(body && body.error ? body.error : `${url}: HTTP ${response.status}`);
    return body;
  }

  function status(message, isError) {
    const node = document.getElementById("status");
    if (!node) return;
    node.textContent = message || "";
    node.classList.toggle("error", Boolean(isError));
  }

  function fail(error) {
    status(error && error.message ? error.message : String(error), true);
  }

  let cameoPromise = null;
  /** The CAMEO table as {code: {name, root, quad_class, goldstein}} (fetched once per page). */
  function cameo() {
    if (!cameoPromise) {
      cameoPromise = api("/api/cameo").then((data) => {
        const out = {};
        for (const row of data.items) out[row.code] = row;
        return out;
      });
    }
    return cameoPromise;
  }

  function cameoName(codes, code) {
    return code && codes[code] ? codes[code].name : "";
  }

  function fmt(value, digits) {
    if (value === null || value === undefined || value === "") return "";
    if (typeof value === "number") return digits === undefined ? value.toLocaleString("en") : value.toFixed(digits);
    return String(value);
  }

  /**
   * An actor's page: a person's own (/people/{name}), a code's (/actors/{code}); a group with no country
   * ("soldiers", MIL) is no actor of its own, so its article, or else the events naming it. kind is the API's
   * source_kind / target_kind / speaker_kind / kind: person, code or generic.
   */
  function actorHref(kind, code, name, articleId) {
    if (kind === "person" && name) return `/people/${encodeURIComponent(name)}`;
    if (kind === "generic") return articleId ? `/articles/${encodeURIComponent(articleId)}` : `/events?${new URLSearchParams({ actor: name || "" })}`;
    return code ? `/actors/${encodeURIComponent(code)}` : null;
  }

  /** The actor on one side of an event row ("source", "target"): its kind, one name, code, and the name it was coded with. */
  function sideActor(row, side) {
    return { kind: row[`${side}_kind`], name: row[`${side}_actor`] || row[`${side}_name`], code: row[`${side}_code`],
      written: row[`${side}_name`], article: row.article_id };
  }

  /** A link to an actor ({kind, name, code, written, article}): its one name and code, the words of the text in the tooltip. */
  function actorLink(a) {
    const href = actorHref(a.kind, a.code, a.name, a.article);
    if (!href) return el("span", { class: "muted" }, a.name || "—");
    const title = [a.written && a.written !== a.name ? `“${a.written}” in the text` : null,
      a.kind === "generic" ? "a group with no country, as the article names it" : null].filter(Boolean).join(" · ");
    return el("a", { href, title: title || null, data: { kind: a.kind } }, a.name || a.code,
      a.code ? [" ", el("span", { class: "code" }, a.code)] : null);
  }

  function quadBadge(quad) {
    const q = QUADS[quad];
    return q ? el("span", { class: ["badge", q.cls], title: q.name }, String(quad)) : el("span", {}, "");
  }

  /** An event's date, marked when only the publication date dates it (date_precision "reported"). */
  function dateCell(ev) {
    const reported = ev.date_precision === "reported" || ev.date_from === "article";
    return el("td", { class: "nowrap" }, ev.date || "",
      reported ? el("span", { class: "date-mark", title: "The text does not date this event: the date is its earliest report's publication date" }, "pub.") : null);
  }

  /** An evidence sentence on one line, with a button that shows all of it. */
  function evidence(text, href) {
    const line = el("span", { class: "evidence-text" }, href ? el("a", { href }, text) : text);
    const toggle = el("button", { type: "button", class: "expand", title: "Show the whole sentence", "aria-expanded": "false" }, "more");
    const node = el("div", { class: "evidence-line" }, line, toggle);
    toggle.addEventListener("click", () => {
      const open = node.classList.toggle("open");
      toggle.textContent = open ? "less" : "more";
      toggle.setAttribute("aria-expanded", String(open));
    });
    return node;
  }

  /** The columns of an events table: heading, the API's sort key (null: not sortable), and a cell. */
  const EVENT_COLUMNS = [
    { label: "Date", sort: "date" }, { label: "Source", sort: "source_code" }, { label: "Event", sort: "cameo" },
    { label: "Target", sort: "target_code" }, { label: "Quad", sort: "quad_class" },
    { label: "Goldstein", sort: "goldstein", num: true }, { label: "Place", sort: "location_name" },
    { label: "Mentions", sort: "num_mentions", num: true }, { label: "Conf.", sort: "confidence", num: true },
  ];

  /** A table row for one event (deduplicated or report) with links to the event, its actors and article;
   * `direction` (a dyad's a_to_b, b_to_a) adds a first cell saying which way it went. */
  function eventRow(ev, codes, direction) {
    const name = cameoName(codes, ev.cameo);
    const what = ev.event_id
      ? el("a", { href: `/events/${encodeURIComponent(ev.event_id)}` }, el("span", { class: "code" }, ev.cameo || ""), " ", name)
      : el("span", {}, el("span", { class: "code" }, ev.cameo || ""), " ", name);
    const place = ev.location_name ? `${ev.location_name}${ev.location_country ? ` (${ev.location_country})` : ""}` : "";
    const sentence = ev.evidence
      ? evidence(ev.evidence, ev.article_id ? `/articles/${encodeURIComponent(ev.article_id)}#ev-${ev.start}` : null)
      : null;
    return el("tr", { data: { quad: ev.quad_class, eventId: ev.event_id, direction: ev.direction } },
      direction ? el("td", { class: "nowrap" }, direction[ev.direction] || "") : null,
      dateCell(ev),
      el("td", {}, actorLink(sideActor(ev, "source"))),
      el("td", { class: "what" }, what, sentence),
      el("td", {}, actorLink(sideActor(ev, "target"))),
      el("td", { class: "quad" }, quadBadge(ev.quad_class)),
      el("td", { class: "num" }, fmt(ev.goldstein, 1)),
      el("td", {}, place),
      el("td", { class: "num" }, fmt(ev.num_mentions)),
      el("td", { class: "num" }, fmt(ev.confidence, 2)));
  }

  /**
   * Header cells of a sortable table: each sortable column is a button that asks onSort for its key
   * (ascending, then descending on a second click); the current sort is marked (aria-sort).
   */
  function sortableHead(table, columns, sort, onSort) {
    const row = clear(table.querySelector("thead tr"));
    const key = (sort || "").replace(/^-/, "");
    const descending = (sort || "").startsWith("-");
    for (const c of columns) {
      const active = c.sort && c.sort === key;
      const th = el("th", { class: c.num ? "num" : null, "aria-sort": active ? (descending ? "descending" : "ascending") : null });
      if (c.sort) {
        th.appendChild(el("button", { type: "button", class: "sort", data: { sort: c.sort },
          title: `Sort by ${c.label.toLowerCase()}`, on: { click: () => onSort(active && !descending ? `-${c.sort}` : c.sort) } },
          c.label, active ? (descending ? " ▼" : " ▲") : ""));
      } else {
        th.appendChild(document.createTextNode(c.label));
      }
      row.appendChild(th);
    }
  }

  /** CSV and JSON links that download every row of `path` with these parameters (not only the page shown). */
  function downloads(container, path, params) {
    if (!container) return;
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && String(v) !== "" && k !== "limit" && k !== "offset") query.set(k, String(v));
    clear(container);
    append(container, ["Download: ",
      ["csv", "json"].map((fmtName, i) => [i ? " · " : "", el("a", {
        href: `${path}?${new URLSearchParams([...query.entries(), ["format", fmtName]])}`, download: "", class: `download-${fmtName}`,
        title: `Every matching row as ${fmtName.toUpperCase()}` }, fmtName.toUpperCase())])]);
  }

  /** Fill a <select name="root"> with the 20 CAMEO roots. */
  async function fillRoots(select) {
    const codes = await cameo();
    for (let r = 1; r <= 20; r++) {
      const code = String(r).padStart(2, "0");
      select.appendChild(el("option", { value: code }, `${code} ${cameoName(codes, code)}`));
    }
  }

  function urlParams() {
    return Object.fromEntries(new URLSearchParams(window.location.search).entries());
  }

  /** Set the page's URL to these parameters (empty ones left out) so that a view can be bookmarked. */
  function setUrlParams(params, replace) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && String(v) !== "") query.set(k, String(v));
    const url = query.toString() ? `${window.location.pathname}?${query}` : window.location.pathname;
    if (replace) window.history.replaceState(null, "", url);
    else window.history.pushState(null, "", url);
    carry(params);
  }

  function formValues(form) {
    const out = {};
    for (const [k, v] of new FormData(form).entries()) if (String(v).trim() !== "") out[k] = String(v).trim();
    return out;
  }

  function setFormValues(form, values) {
    for (const field of form.elements) {
      if (field.name) field.value = values[field.name] || "";
    }
  }

  // The event filters every event page shares (the actors apart: a dyad names them a and b).
  const COMMON_FILTERS = ["root", "quad", "since", "until", "place", "min_confidence", "theme", "source", "min_tone",
    "max_tone", "date_precision"];

  /**
   * Filters carried across tabs: the nav links to the event pages get the current page's event filters, so
   * that switching from the events to the timeline, network or map keeps them (a dyad's a and b become the
   * actor and target, and back).
   */
  function carry(params) {
    const common = {};
    for (const k of COMMON_FILTERS) if (params[k]) common[k] = params[k];
    const actor = params.actor || params.a, target = params.target || params.b;
    const sides = Object.assign({}, actor ? { actor } : {}, target ? { target } : {});
    const links = {
      events: Object.assign({}, sides, common), timeline: Object.assign({}, sides, common),
      network: Object.assign({}, sides, common), map: Object.assign({}, sides, common),
      dyad: Object.assign({}, actor ? { a: actor } : {}, target ? { b: target } : {}, common),
    };
    for (const [key, values] of Object.entries(links)) {
      const link = document.querySelector(`nav a[data-nav="${key}"]`);
      if (!link) continue;
      const query = new URLSearchParams(values).toString();
      link.setAttribute("href", `/${key}${query ? `?${query}` : ""}`);
    }
  }

  let themesPromise = null;
  /** Fill a <select name="theme"> with the store's themes (commonest first). */
  async function fillThemes(select) {
    if (!select) return;
    if (!themesPromise) themesPromise = api("/api/themes");
    const data = await themesPromise;
    for (const t of data.items) select.appendChild(el("option", { value: t.theme }, `${t.theme.toLowerCase().replace(/_/g, " ")} (${fmt(t.articles)})`));
  }

  /** Fill <datalist id="source-options"> with the store's commonest publishers. */
  async function fillPublishers() {
    const list = document.getElementById("source-options");
    if (!list) return;
    const s = await api("/api/stats");
    for (const name of Object.keys(s.sources || {})) if (name !== "(none)") list.appendChild(el("option", { value: name }));
  }

  /**
   * Suggestions for the actor fields of a form (inputs with list="actor-options"): as the analyst types, the
   * store's actors that match, best first, fill the shared <datalist> (value: the code or the person's name).
   */
  function autocomplete(form) {
    const list = document.getElementById("actor-options");
    if (!list) return;
    let timer = null, asked = "";
    for (const input of form.querySelectorAll("input[list='actor-options']")) {
      input.addEventListener("input", () => {
        clearTimeout(timer);
        const q = input.value.trim();
        if (q.length < 2 || q === asked) return;
        timer = setTimeout(async () => {
          asked = q;
          try {
            const data = await api("/api/suggest", { q, limit: 12 });
            clear(list);
            for (const s of data.items) list.appendChild(el("option", { value: s.value, label: `${s.label} · ${s.kind} · ${fmt(s.articles)} articles` }));
          } catch (e) {
            // suggestions are a convenience: a failure leaves the field as typed
          }
        }, 200);
      });
    }
  }

  const HOW = { code: "the code and the codes under it", person: "this person", name: "names containing these words",
    node: "exactly this actor, as the network draws it" };

  /** Say what the actor and place filters were taken to mean ("usa" is United States (USA), the code and the codes under it). */
  function showMatched(matched) {
    const node = document.getElementById("matched");
    if (!node) return;
    clear(node);
    const labels = { actor: "Actor", target: "Target", a: "A", b: "B", place: "Place" };
    const parts = Object.entries(matched || {}).filter(([k]) => labels[k]).map(([k, m]) =>
      [el("strong", {}, `${labels[k]}: `), m.label || m.value, m.how ? el("span", { class: "muted" }, ` (${HOW[m.how] || m.how})`) : null]);
    parts.forEach((p, i) => append(node, [i ? " · " : "", p]));
  }

  /**
   * Wire the shared filter form: it shows the URL's filters; Apply and Clear put the filters in the URL and
   * call load(params); so do the browser's back and forward buttons. `extra()` adds page-specific parameters.
   */
  async function filterForm(load, extra) {
    const form = document.getElementById("filters");
    await Promise.all([form.elements.root ? fillRoots(form.elements.root) : null, fillThemes(form.elements.theme),
      fillPublishers().catch(() => null)]);
    autocomplete(form);
    const current = () => Object.assign(formValues(form), extra ? extra() : {});
    setFormValues(form, urlParams());
    carry(urlParams());
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const params = current();
      setUrlParams(params);
      load(params);
    });
    form.addEventListener("reset", (e) => {
      e.preventDefault();
      setFormValues(form, {});
      const params = current();
      setUrlParams(params);
      load(params);
    });
    window.addEventListener("popstate", () => {
      setFormValues(form, urlParams());
      carry(urlParams());
      load(urlParams());
    });
    return current;
  }

  /** A <select id="page-size"> showing params.limit (50 when not given); a change calls go(limit). */
  function pageSize(select, params, go) {
    if (!select) return;
    select.value = String(params.limit || 50);
    if (!select.dataset.wired) {
      select.dataset.wired = "1";
      select.addEventListener("change", () => go(select.value));
    }
  }

  /** "1,234 events · 51–100 shown" from a page {items, total, offset}. */
  function countLine(page, noun) {
    const from = page.items.length ? page.offset + 1 : 0;
    const to = page.offset + page.items.length;
    return `${fmt(page.total)} ${noun}${page.total === 1 ? "" : "s"}${page.total > page.items.length ? ` · ${fmt(from)}–${fmt(to)} shown` : ""}`;
  }

  /** Previous / next buttons for a page {limit, offset, more, total}. */
  function pager(container, page, go) {
    clear(container);
    const from = page.items.length ? page.offset + 1 : 0;
    const to = page.offset + page.items.length;
    const pages = page.total !== undefined ? ` of ${fmt(page.total)}` : "";
    append(container, [
      el("button", { type: "button", class: "secondary", disabled: page.offset === 0 ? "disabled" : null,
        on: { click: () => go(Math.max(0, page.offset - page.limit)) } }, "← Previous"),
      el("span", { class: "muted" }, page.items.length ? `${fmt(from)}–${fmt(to)}${pages}` : "none"),
      el("button", { type: "button", class: "secondary", disabled: page.more ? null : "disabled",
        on: { click: () => go(page.offset + page.limit) } }, "Next →"),
    ]);
  }

  /** Reload the page's view when one of `nodes` (its own controls: a period, a limit) changes. */
  function reloadOn(nodes, current, load) {
    for (const node of nodes) {
      node.addEventListener("change", () => {
        const params = current();
        setUrlParams(params);
        load(params);
      });
    }
  }

  /**
   * A listing page: the filter form, then a sortable table of `opts.path`'s rows with their total (#count),
   * a page-size choice, downloads of every matching row and previous/next. The URL holds the filters, the
   * sort, the page size and the offset. opts:
   *   table     the table's id (its rows' data-query and data-total say what it shows)
   *   path      the API listing; columns: [{label, sort, num}]; noun: "event"
   *   row(item, prepared) -> <tr>; prepared: what opts.prepare() resolved to (the CAMEO table), once per load
   *   show(page, params, prepared)   anything else the page draws from the answer (a dyad's summary)
   *   need(params) -> a message when the page cannot ask yet (a dyad without its two actors)
   *   extra() -> the page's own parameters kept from its controls; ready(current, go) wires those controls
   */
  function listingPage(opts) {
    const table = document.getElementById(opts.table);
    const body = table.querySelector("tbody");
    let current = null;

    function go(params) {
      setUrlParams(params);
      load(params);
    }

    async function load(params) {
      const waiting = opts.need ? opts.need(params) : null;
      if (waiting) {
        status(waiting);
        return;
      }
      status("Loading…");
      sortableHead(table, opts.columns, params.sort, (sort) => go(Object.assign({}, params, { sort, offset: "" })));
      pageSize(document.getElementById("page-size"), params, (limit) => go(Object.assign({}, current ? current() : params, { limit, offset: "" })));
      try {
        const [prepared, page] = await Promise.all([opts.prepare ? opts.prepare() : null, api(opts.path, Object.assign({ limit: 50 }, params))]);
        clear(body);
        for (const item of page.items) body.appendChild(opts.row(item, prepared));
        if (!page.items.length) body.appendChild(el("tr", {}, el("td", { colspan: String(opts.columns.length), class: "muted" }, opts.empty)));
        document.getElementById("count").textContent = countLine(page, opts.noun);
        showMatched(page.matched);
        const filters = Object.assign({}, params);
        delete filters.by;
        downloads(document.getElementById("downloads"), opts.path, filters);
        table.dataset.query = String(new URLSearchParams(params)); // what the rows answer (for tests and bookmarks)
        table.dataset.total = String(page.total);
        pager(document.getElementById("pager"), page, (offset) => go(Object.assign({}, params, { offset: offset || "" })));
        if (opts.show) opts.show(page, params, prepared);
        status("");
      } catch (e) {
        clear(body);
        fail(e);
      }
    }

    filterForm(load, () => {
      const p = urlParams();
      return Object.assign(opts.extra ? opts.extra() : {}, p.sort ? { sort: p.sort } : {}, p.limit ? { limit: p.limit } : {});
    }).then((form) => {
      current = form;
      if (opts.ready) opts.ready(form, go);
      load(urlParams());
    }).catch(fail);
  }

  function legend(container, entries) {
    clear(container);
    for (const [color, label] of entries) {
      append(container, [el("span", { class: "swatch", style: { background: color } }), el("span", { class: "legend-label" }, label)]);
    }
  }

  /** A path's last segment, decoded (the article id in /articles/{id}). */
  function lastPathSegment() {
    const parts = window.location.pathname.split("/").filter(Boolean);
    try {
      return decodeURIComponent(parts[parts.length - 1] || "");
    } catch (e) {
      return "";
    }
  }

  window.NE = {
    QUADS, COOPERATION, CONFLICT, NEUTRAL, EVENT_COLUMNS, COMMON_FILTERS, el, svg, append, clear, api, status, fail, cameo,
    cameoName, fmt, actorHref, actorLink, sideActor, quadBadge, eventRow, dateCell, evidence, sortableHead, downloads,
    fillRoots, urlParams, setUrlParams, filterForm, autocomplete, showMatched, carry, pageSize, countLine, pager, legend,
    reloadOn, listingPage, safeUrl, lastPathSegment,
  };
})();
