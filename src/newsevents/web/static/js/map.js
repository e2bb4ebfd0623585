/* /map: event places on a world outline (Natural Earth 1:110m countries, bundled under /static/vendor, read
 * with topojson-client), in an equirectangular projection. Events at a city or site are dots whose area grows
 * with their events (a size legend says how many) and whose colour follows the average Goldstein score; events
 * placed only at country level shade their country instead, so a country is never drawn as if it were a city.
 * The page says how many of the events are on the map at all; the map zooms and pans (zoom.js); a dot or a
 * country links to exactly the events it counts. */
(function () {
  "use strict";
  const { el, svg, api, clear, append, status, fail, filterForm, legend, urlParams, fmt, downloads, showMatched,
    COOPERATION, CONFLICT, NEUTRAL } = window.NE;

  const W = 960, H = 480;
  const MAX_R = 18, MIN_R = 4;
  const chart = document.getElementById("chart");
  const table = document.querySelector("#places tbody");
  let worldPromise = null;

  const px = (lon) => ((lon + 180) / 360) * W;
  const py = (lat) => ((90 - lat) / 180) * H;

  function world() {
    if (!worldPromise) {
      worldPromise = fetch("/static/vendor/countries-110m.json").then((r) => {
        if (!r.ok) throw new Error(`the world outline could not be loaded (HTTP ${r.status})`);
        return r.json();
      }).then((topo) => window.topojson.feature(topo, topo.objects.countries).features);
    }
    return worldPromise;
  }

  /** SVG path data for a ring of [lon, lat]; a jump of more than 180° of longitude starts a new subpath
   * instead of drawing a line across the whole map (rings that cross the antimeridian). */
  function ringPath(ring) {
    let d = "";
    let prev = null;
    for (const [lon, lat] of ring) {
      const move = prev === null || Math.abs(lon - prev) > 180;
      d += `${move ? "M" : "L"}${px(lon).toFixed(1)},${py(lat).toFixed(1)}`;
      prev = lon;
    }
    return d + "Z";
  }

  function geometryPath(geometry) {
    if (!geometry) return "";
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    return polygons.map((rings) => rings.map(ringPath).join("")).join("");
  }

  function dotColor(avg) {
    if (avg === null || avg === undefined || Math.abs(avg) < 0.5) return NEUTRAL;
    return avg > 0 ? COOPERATION : CONFLICT;
  }

  const radius = (events, maxEvents) => MIN_R + (MAX_R - MIN_R) * Math.sqrt(events / maxEvents);

  function eventsHref(params, p) {
    return `/events?${new URLSearchParams(Object.assign({}, params, { place: p.geonameid || p.name }))}`;
  }

  function draw(features, places, params) {
    clear(chart);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "worldmap", role: "img", "aria-label": "Map of event places" });
    root.appendChild(svg("rect", { x: 0, y: 0, width: W, height: H, class: "ocean" }));
    for (const lat of [-60, -30, 0, 30, 60]) root.appendChild(svg("line", { x1: 0, x2: W, y1: py(lat), y2: py(lat), class: "graticule" }));
    for (let lon = -150; lon <= 150; lon += 30) root.appendChild(svg("line", { x1: px(lon), x2: px(lon), y1: 0, y2: H, class: "graticule" }));
    const countryLevel = new Map(places.filter((p) => p.level === "country" && p.iso_numeric).map((p) => [p.iso_numeric, p]));
    const maxCountry = Math.max(1, ...[...countryLevel.values()].map((p) => p.events));
    const land = svg("g", { class: "countries" });
    for (const f of features) {
      const name = (f.properties && f.properties.name) || "";
      const p = countryLevel.get(String(f.id));
      const path = svg("path", { d: geometryPath(f.geometry), class: p ? "country shaded" : "country",
        data: p ? { iso: p.iso_numeric, events: p.events, geonameid: p.geonameid } : null,
        style: p ? { fillOpacity: (0.25 + 0.75 * Math.sqrt(p.events / maxCountry)).toFixed(2), fill: dotColor(p.avg_goldstein) } : null },
        svg("title", {}, p ? `${p.name}: ${p.events} event(s) placed only at country level, avg. Goldstein ${fmt(p.avg_goldstein, 2)}` : name));
      land.appendChild(p ? svg("a", { href: eventsHref(params, p), class: "country-link" }, path) : path);
    }
    root.appendChild(land);
    const dots = svg("g", { class: "dots" });
    const points = places.filter((p) => p.level !== "country" && p.lat !== null && p.lon !== null);
    const maxEvents = Math.max(1, ...points.map((p) => p.events));
    for (const p of points.slice().sort((a, b) => b.events - a.events)) {
      dots.appendChild(svg("a", { href: eventsHref(params, p), class: "dot-link" },
        svg("circle", { cx: px(p.lon).toFixed(1), cy: py(p.lat).toFixed(1), r: radius(p.events, maxEvents).toFixed(1), fill: dotColor(p.avg_goldstein), class: "dot",
          data: { geonameid: p.geonameid, events: p.events } },
        svg("title", {}, `${p.name || "?"}${p.country ? ` (${p.country})` : ""}: ${p.events} event(s), ${p.mentions} mention(s), ` +
          `avg. Goldstein ${fmt(p.avg_goldstein, 2)}`))));
    }
    root.appendChild(dots);
    chart.appendChild(root);
    window.NE.zoomable(root, W, H);
    sizeLegend(maxEvents, points.length);
  }

  /** Circles for 1 event, about half the largest place's, and the largest. */
  function sizeLegend(maxEvents, count) {
    const box = document.getElementById("legend");
    const sizes = [...new Set([1, Math.round(maxEvents / 2), maxEvents])].filter((n) => n >= 1);
    const w = sizes.length * 2 * MAX_R + 70;
    const g = svg("svg", { class: "size-legend", viewBox: `0 0 ${w} ${2 * MAX_R + 4}`, width: w, height: 2 * MAX_R + 4, role: "img",
      "aria-label": "Dot size: events at the place" });
    let x = 4;
    for (const n of count ? sizes : []) {
      const r = radius(n, maxEvents);
      g.appendChild(svg("circle", { cx: x + r, cy: MAX_R + 2, r: r.toFixed(1), class: "legend-dot" }));
      g.appendChild(svg("text", { x: x + 2 * r + 3, y: MAX_R + 6, class: "axis-label" }, fmt(n)));
      x += 2 * r + 12 + String(n).length * 7;
    }
    legend(box, [[COOPERATION, "mostly cooperation"], [CONFLICT, "mostly conflict"], [NEUTRAL, "mixed"]]);
    append(box, [el("span", { class: "legend-label" }, "· dot size: events at a city or site"), g,
      el("span", { class: "legend-label" }, "· shaded country: events placed only at country level")]);
  }

  function coverage(c) {
    const node = clear(document.getElementById("coverage"));
    const pct = (n) => (c.events ? `${((100 * n) / c.events).toFixed(1)}%` : "0%");
    append(node, [`Of ${fmt(c.events)} matching events, `, el("strong", {}, fmt(c.point)), ` (${pct(c.point)}) are at a city or site (dots), `,
      el("strong", {}, fmt(c.country)), ` (${pct(c.country)}) only at country level (shaded countries), and `,
      el("strong", { id: "unplaced" }, fmt(c.unplaced)), ` (${pct(c.unplaced)}) name no place and are not on the map.`]);
  }

  function fillTable(places, params) {
    clear(table);
    for (const p of places) {
      append(table, [el("tr", { data: { level: p.level } },
        el("td", {}, el("a", { href: eventsHref(params, p) }, p.name || "?")),
        el("td", {}, p.country || ""), el("td", {}, p.level === "country" ? "country" : "city or site"),
        el("td", { class: "num" }, fmt(p.events)), el("td", { class: "num" }, fmt(p.mentions)),
        el("td", { class: "num" }, fmt(p.avg_goldstein, 2)))]);
    }
    if (!places.length) table.appendChild(el("tr", {}, el("td", { colspan: "6", class: "muted" }, "No events with a known place match these filters.")));
  }

  async function load(params) {
    status("Loading…");
    try {
      const [features, data] = await Promise.all([world(), api("/api/places", params)]);
      draw(features, data.items, params);
      fillTable(data.items, params);
      coverage(data.coverage);
      showMatched(data.matched);
      downloads(document.getElementById("downloads"), "/api/places", params);
      status(`${fmt(data.items.length)} place${data.items.length === 1 ? "" : "s"} with events${data.cut ? ` (the ${fmt(data.items.length)} with most events of ${fmt(data.total)})` : ""}`);
    } catch (e) {
      clear(chart);
      fail(e);
    }
  }

  filterForm(load).then(() => load(urlParams())).catch(fail);
})();
