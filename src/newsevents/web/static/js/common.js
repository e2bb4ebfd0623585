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

  /** A table row for one event (deduplicated or report) with links to the event, its actors and article. */
  function eventRow(ev, codes) {
    const name = cameoName(codes, ev.cameo);
    const what = ev.event_id
      ? el("a", { href: `/events/${encodeURIComponent(ev.event_id)}` }, el("span", { class: "code" }, ev.cameo || ""), " ", name)
      : el("span", {}, el("span", { class: "code" }, ev.cameo || ""), " ", name);
    const place = ev.location_name ? `${ev.location_name}${ev.location_country ? ` (${ev.location_country})` : ""}` : "";
    const evidence = ev.evidence
      ? el("div", { class: "evidence-line" },
          ev.article_id ? el("a", { href: `/articles/${encodeURIComponent(ev.article_id)}#ev-${ev.start}` }, ev.evidence) : ev.evidence)
      : null;
    return el("tr", { data: { quad: ev.quad_class, eventId: ev.event_id } },
      el("td", { class: "nowrap" }, ev.date || ""),
      el("td", {}, actorLink(sideActor(ev, "source"))),
      el("td", {}, what, evidence),
      el("td", {}, actorLink(sideActor(ev, "target"))),
      el("td", { class: "quad" }, quadBadge(ev.quad_class)),
      el("td", { class: "num" }, fmt(ev.goldstein, 1)),
      el("td", {}, place),
      el("td", { class: "num" }, fmt(ev.num_mentions)),
      el("td", { class: "num" }, fmt(ev.confidence, 2)));
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

  /**
   * Wire the shared filter form: it shows the URL's filters; Apply and Clear put the filters in the URL and
   * call load(params); so do the browser's back and forward buttons. `extra()` adds page-specific parameters.
   */
  async function filterForm(load, extra) {
    const form = document.getElementById("filters");
    await fillRoots(form.elements.root);
    const current = () => Object.assign(formValues(form), extra ? extra() : {});
    setFormValues(form, urlParams());
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
      load(urlParams());
    });
    return current;
  }

  /** Previous / next buttons for a page {limit, offset, more}. */
  function pager(container, page, go) {
    clear(container);
    const from = page.items.length ? page.offset + 1 : 0;
    const to = page.offset + page.items.length;
    append(container, [
      el("button", { type: "button", class: "secondary", disabled: page.offset === 0 ? "disabled" : null,
        on: { click: () => go(Math.max(0, page.offset - page.limit)) } }, "← Previous"),
      el("span", { class: "muted" }, page.items.length ? `${from}–${to}` : "none"),
      el("button", { type: "button", class: "secondary", disabled: page.more ? null : "disabled",
        on: { click: () => go(page.offset + page.limit) } }, "Next →"),
    ]);
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
    QUADS, COOPERATION, CONFLICT, NEUTRAL, el, svg, append, clear, api, status, fail, cameo, cameoName, fmt,
    actorHref, actorLink, sideActor, quadBadge, eventRow, fillRoots, urlParams, setUrlParams, filterForm, pager, legend, safeUrl,
    lastPathSegment,
  };
})();
