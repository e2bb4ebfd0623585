/* /map: event places as dots on a world outline (Natural Earth 1:110m countries, bundled under
 * /static/vendor, read with topojson-client), in an equirectangular projection. A dot's area grows with its
 * events, its colour with the average Goldstein score; it links to the place's events. */
(function () {
  "use strict";
  const { el, svg, api, clear, append, status, fail, filterForm, legend, urlParams, fmt, COOPERATION, CONFLICT, NEUTRAL } = window.NE;

  const W = 960, H = 480;
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

  function draw(features, places, params) {
    clear(chart);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "worldmap", role: "img", "aria-label": "Map of event places" });
    root.appendChild(svg("rect", { x: 0, y: 0, width: W, height: H, class: "ocean" }));
    for (const lat of [-60, -30, 0, 30, 60]) root.appendChild(svg("line", { x1: 0, x2: W, y1: py(lat), y2: py(lat), class: "graticule" }));
    for (let lon = -150; lon <= 150; lon += 30) root.appendChild(svg("line", { x1: px(lon), x2: px(lon), y1: 0, y2: H, class: "graticule" }));
    const land = svg("g", { class: "countries" });
    for (const f of features) {
      land.appendChild(svg("path", { d: geometryPath(f.geometry), class: "country" },
        svg("title", {}, (f.properties && f.properties.name) || "")));
    }
    root.appendChild(land);
    const dots = svg("g", { class: "dots" });
    const maxEvents = Math.max(1, ...places.map((p) => p.events));
    for (const p of places.slice().sort((a, b) => b.events - a.events)) {
      if (p.lat === null || p.lon === null) continue;
      const r = 4 + 14 * Math.sqrt(p.events / maxEvents);
      const filter = p.geonameid ? { place: p.geonameid } : { place: p.name };
      dots.appendChild(svg("a", { href: `/events?${new URLSearchParams(Object.assign({}, params, filter))}`, class: "dot-link" },
        svg("circle", { cx: px(p.lon).toFixed(1), cy: py(p.lat).toFixed(1), r: r.toFixed(1), fill: dotColor(p.avg_goldstein), class: "dot",
          data: { geonameid: p.geonameid } },
        svg("title", {}, `${p.name || "?"}${p.country ? ` (${p.country})` : ""}: ${p.events} event(s), ${p.mentions} mention(s), ` +
          `avg. Goldstein ${fmt(p.avg_goldstein, 2)}`))));
    }
    root.appendChild(dots);
    chart.appendChild(root);
  }

  function fillTable(places, params) {
    clear(table);
    for (const p of places) {
      const filter = p.geonameid ? { place: p.geonameid } : { place: p.name };
      append(table, [el("tr", {},
        el("td", {}, el("a", { href: `/events?${new URLSearchParams(Object.assign({}, params, filter))}` }, p.name || "?")),
        el("td", {}, p.country || ""), el("td", { class: "num" }, fmt(p.events)), el("td", { class: "num" }, fmt(p.mentions)),
        el("td", { class: "num" }, fmt(p.avg_goldstein, 2)))]);
    }
    if (!places.length) table.appendChild(el("tr", {}, el("td", { colspan: "5", class: "muted" }, "No events with a known place match these filters.")));
  }

  async function load(params) {
    status("Loading…");
    try {
      const [features, data] = await Promise.all([world(), api("/api/places", params)]);
      draw(features, data.items, params);
      fillTable(data.items, params);
      status(`${data.items.length} place${data.items.length === 1 ? "" : "s"} with events`);
    } catch (e) {
      clear(chart);
      fail(e);
    }
  }

  legend(document.getElementById("legend"), [[COOPERATION, "mostly cooperation"], [CONFLICT, "mostly conflict"], [NEUTRAL, "mixed"]]);
  filterForm(load).then(() => load(urlParams())).catch(fail);
})();
