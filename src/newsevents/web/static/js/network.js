/* /network: actors as nodes, source → target pairs as arrows whose width grows with the number of events,
 * green where cooperation dominates and red where conflict does. Laid out by a small force simulation
 * (Fruchterman–Reingold) started from a circle, so the same data always give the same picture. It shows the
 * top N pairs by events and says so when there are more; a pair (edge) opens the dyad view of its two actors,
 * whose counts are the edge's; "Find" highlights actors by name or code, hovering a node its pairs, and the
 * chart zooms and pans (zoom.js).
 * A node is one actor of the API (its source_key / target_key): a person, a code under its one name, or a
 * group with no country ("soldiers", MIL) in one article — never every country's soldiers in one node. */
(function () {
  "use strict";
  const { el, svg, api, clear, status, fail, filterForm, legend, urlParams, reloadOn, fmt, actorHref, downloads, showMatched,
    COOPERATION, CONFLICT, NEUTRAL } = window.NE;

  const W = 960, H = 600, PAD = 50;
  const ITERATIONS = 400; // enough for a few dozen actors to settle; the layout runs once per load
  // Pull towards the centre, per pixel of distance. Tried 0.5-5 on the samples' 28 actors: 2 keeps the
  // unconnected pairs around the main group without crowding it.
  const GRAVITY = 2;
  const TOP = 50; // pairs shown unless the analyst asks for more: past ~50 the picture is a tangle
  const minNode = document.getElementById("min-events");
  const topNode = document.getElementById("top");
  const findNode = document.getElementById("find");
  const chart = document.getElementById("chart");
  let zoom = null;

  function edgeColor(e) {
    if (e.cooperation > e.conflict) return ["coop", COOPERATION];
    if (e.conflict > e.cooperation) return ["conflict", CONFLICT];
    return ["mixed", NEUTRAL];
  }

  function graph(pairs) {
    const nodes = new Map();
    const node = (p, side) => {
      const key = p[`${side}_key`];
      if (!nodes.has(key)) {
        nodes.set(key, { key, kind: p[`${side}_kind`], name: p[`${side}_name`] || p[`${side}_code`], code: p[`${side}_code`],
          article: p[`${side}_article`], events: 0 });
      }
      const n = nodes.get(key);
      n.events += p.events;
      return n;
    };
    const edges = pairs.map((p) => ({ source: node(p, "source"), target: node(p, "target"), pair: p }));
    for (const n of nodes.values()) n.r = 6 + 3 * Math.sqrt(n.events);
    return { nodes: [...nodes.values()].sort((a, b) => b.events - a.events || (a.key < b.key ? -1 : 1)), edges };
  }

  /**
   * Fruchterman–Reingold in open space (repulsion k²/d between all nodes, attraction d²/k along edges, and a
   * pull towards the centre that keeps unconnected pairs from drifting off), then scaled to fit the canvas:
   * scaling afterwards, rather than clamping nodes at the border, keeps them from piling up along the edges.
   */
  function layout(nodes, edges) {
    const n = nodes.length;
    const k = 100;
    nodes.forEach((d, i) => {
      const angle = (2 * Math.PI * i) / n;
      const radius = k * Math.sqrt(n);
      d.x = radius * Math.cos(angle);
      d.y = radius * Math.sin(angle) * (H / W);
    });
    if (n < 2) {
      nodes.forEach((d) => { d.x = W / 2; d.y = H / 2; });
      return;
    }
    for (let it = 0; it < ITERATIONS; it++) {
      const temp = 2 * k * (1 - it / ITERATIONS) + 1;
      for (const d of nodes) { d.dx = 0; d.dy = 0; }
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          const a = nodes[i], b = nodes[j];
          let dx = a.x - b.x, dy = a.y - b.y;
          const dist = Math.max(1, Math.hypot(dx, dy));
          const force = (k * k) / dist;
          dx /= dist; dy /= dist;
          a.dx += dx * force; a.dy += dy * force;
          b.dx -= dx * force; b.dy -= dy * force;
        }
      }
      for (const e of edges) {
        const a = e.source, b = e.target;
        if (a === b) continue;
        let dx = a.x - b.x, dy = a.y - b.y;
        const dist = Math.max(1, Math.hypot(dx, dy));
        const force = (dist * dist) / k;
        dx /= dist; dy /= dist;
        a.dx -= dx * force; a.dy -= dy * force;
        b.dx += dx * force; b.dy += dy * force;
      }
      for (const d of nodes) {
        d.dx -= d.x * GRAVITY;
        d.dy -= d.y * GRAVITY * (W / H); // a stronger vertical pull: the canvas is wider than high
        const len = Math.max(0.01, Math.hypot(d.dx, d.dy));
        d.x += (d.dx / len) * Math.min(len, temp);
        d.y += (d.dy / len) * Math.min(len, temp);
      }
    }
    const xs = nodes.map((d) => d.x), ys = nodes.map((d) => d.y);
    const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
    for (const d of nodes) {
      d.x = PAD + ((d.x - x0) / Math.max(1, x1 - x0)) * (W - 2 * PAD);
      d.y = PAD + ((d.y - y0) / Math.max(1, y1 - y0)) * (H - 2 * PAD - 20);
    }
  }

  function draw(pairs, params) {
    clear(chart);
    if (!pairs.length) {
      chart.appendChild(el("p", { class: "muted" }, "No pairs of actors match these filters."));
      return [];
    }
    const { nodes, edges } = graph(pairs);
    layout(nodes, edges);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "network", role: "img", "aria-label": "Actor network" });
    const defs = svg("defs");
    for (const [name, color] of [["coop", COOPERATION], ["conflict", CONFLICT], ["mixed", NEUTRAL]]) {
      defs.appendChild(svg("marker", { id: `arrow-${name}`, viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "8",
        markerHeight: "8", markerUnits: "userSpaceOnUse", orient: "auto" }, svg("path", { d: "M0,0 L10,5 L0,10 z", fill: color })));
    }
    root.appendChild(defs);
    const pairKeys = new Set(edges.map((e) => `${e.source.key}>${e.target.key}`));
    const edgeLayer = svg("g", { class: "edges" });
    for (const e of edges) {
      const a = e.source, b = e.target, p = e.pair;
      if (a === b) continue;
      const [kind, color] = edgeColor(p);
      const dx = b.x - a.x, dy = b.y - a.y, dist = Math.max(1, Math.hypot(dx, dy));
      const ux = dx / dist, uy = dy / dist;
      const sx = a.x + ux * a.r, sy = a.y + uy * a.r;
      const tx = b.x - ux * (b.r + 2), ty = b.y - uy * (b.r + 2);
      // both directions present: bend each to its own side so the two arrows do not overlap
      const bend = pairKeys.has(`${b.key}>${a.key}`) ? 24 : 0;
      const mx = (sx + tx) / 2 - uy * bend, my = (sy + ty) / 2 + ux * bend;
      const link = svg("a", { href: `/dyad?${new URLSearchParams(Object.assign({}, params, { a: a.key, b: b.key }))}`, class: "edge-link" },
        svg("path", { d: `M${sx.toFixed(1)},${sy.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${tx.toFixed(1)},${ty.toFixed(1)}`,
          class: `edge ${kind}`, stroke: color, "stroke-width": (1.5 + 1.5 * Math.log2(p.events)).toFixed(2), "marker-end": `url(#arrow-${kind})`,
          data: { source: a.code, target: b.code, sourceKey: a.key, targetKey: b.key, events: p.events } },
        svg("title", {}, `${a.name} → ${b.name}: ${p.events} event${p.events === 1 ? "" : "s"} (${p.cooperation} cooperation, ${p.conflict} conflict), ` +
          `avg. Goldstein ${fmt(p.avg_goldstein, 2)} · click for both directions`)));
      edgeLayer.appendChild(link);
    }
    root.appendChild(edgeLayer);
    const nodeLayer = svg("g", { class: "nodes" });
    for (const d of nodes) {
      const what = { person: "person", code: "", generic: "no country: a group as one article names it" }[d.kind] || "";
      const g = svg("a", { href: actorHref(d.kind, d.code, d.name, d.article), class: ["node", d.kind], data: { code: d.code, key: d.key, kind: d.kind } },
        svg("circle", { cx: d.x.toFixed(1), cy: d.y.toFixed(1), r: d.r.toFixed(1) }),
        svg("text", { x: d.x.toFixed(1), y: (d.y + d.r + 13).toFixed(1), "text-anchor": "middle", class: "node-name" }, d.name),
        svg("text", { x: d.x.toFixed(1), y: (d.y + d.r + 25).toFixed(1), "text-anchor": "middle", class: "node-code" }, d.code),
        svg("title", {}, `${d.name} (${[d.code, what].filter(Boolean).join(", ")}) · ${d.events} event(s) in these pairs`));
      nodeLayer.appendChild(g);
    }
    root.appendChild(nodeLayer);
    chart.appendChild(root);
    for (const g of nodeLayer.querySelectorAll(".node")) {
      g.addEventListener("mouseenter", () => highlight(root, g.dataset.key));
      g.addEventListener("mouseleave", () => highlight(root, null));
    }
    zoom = window.NE.zoomable(root, W, H);
    find(nodes);
    return nodes;
  }

  /** Dim everything but the node `key`, its pairs and the actors at their other ends (null: undo). */
  function highlight(root, key) {
    root.classList.toggle("focused", Boolean(key));
    const near = new Set(key ? [key] : []);
    for (const path of root.querySelectorAll("path.edge")) {
      const on = key !== null && (path.dataset.sourceKey === key || path.dataset.targetKey === key);
      path.closest("a").classList.toggle("hl", on);
      if (on) { near.add(path.dataset.sourceKey); near.add(path.dataset.targetKey); }
    }
    for (const g of root.querySelectorAll(".node")) g.classList.toggle("hl", near.has(g.dataset.key));
  }

  /** Highlight the actors whose name or code contains the words of the Find box, and bring the first into view. */
  function find(nodes) {
    const root = chart.querySelector("svg");
    if (!root) return;
    const words = findNode.value.trim().toLowerCase();
    const hits = words ? nodes.filter((d) => `${d.name || ""} ${d.code || ""}`.toLowerCase().includes(words)) : [];
    const keys = new Set(hits.map((d) => d.key));
    root.classList.toggle("searching", Boolean(words));
    for (const g of root.querySelectorAll(".node")) g.classList.toggle("match", keys.has(g.dataset.key));
    if (words) {
      status(`${hits.length} actor${hits.length === 1 ? " matches" : "s match"} “${findNode.value.trim()}”${hits.length ? "" : " among those shown"}`);
      if (hits.length && zoom) zoom.focus(hits[0].x, hits[0].y, 2);
    } else if (zoom) {
      zoom.reset();
    }
  }

  let shown = [];

  async function load(params) {
    minNode.value = params.min_events || 1;
    topNode.value = params.limit || String(TOP);
    status("Loading…");
    try {
      const data = await api("/api/network", Object.assign({ limit: TOP }, params));
      const filters = Object.fromEntries(Object.entries(params).filter(([k]) => !["min_events", "limit"].includes(k)));
      shown = draw(data.items, filters);
      const cut = document.getElementById("cut");
      cut.hidden = !data.cut;
      cut.textContent = data.cut ? `Showing the ${fmt(data.items.length)} strongest of ${fmt(data.total)} pairs (by events): ` +
        "raise “Show the top” or narrow the filters to see the others." : "";
      showMatched(data.matched);
      downloads(document.getElementById("downloads"), "/api/network", Object.assign({}, params, { limit: params.limit || TOP }));
      chart.dataset.total = String(data.total);
      if (!findNode.value.trim()) status(`${fmt(data.items.length)} actor pair${data.items.length === 1 ? "" : "s"}${data.cut ? ` of ${fmt(data.total)}` : ""}`);
    } catch (e) {
      clear(chart);
      fail(e);
    }
  }

  // node colours: style.css (.node, .node.person, .node.generic)
  legend(document.getElementById("legend"), [[COOPERATION, "mostly cooperation"], [CONFLICT, "mostly conflict"], [NEUTRAL, "even"],
    ["#5b7ea3", "country, government, organisation"], ["#8a6bb0", "person"], ["#b0b0b0", "group with no country, in one article"]]);
  const extra = () => Object.assign({}, minNode.value === "1" ? {} : { min_events: minNode.value },
    topNode.value === String(TOP) ? {} : { limit: topNode.value });
  filterForm(load, extra).then((current) => {
    reloadOn([minNode, topNode], current, load);
    let timer = null;
    findNode.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => find(shown), 150);
    });
    load(urlParams());
  }).catch(fail);
})();
