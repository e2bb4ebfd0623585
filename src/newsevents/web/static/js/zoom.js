/* newsevents: zoom and pan for an SVG chart drawn in a W x H viewBox (window.NE.zoomable), for the network and
 * the map. The wheel zooms around the pointer, dragging pans, and the page's #zoom-in, #zoom-out and
 * #zoom-reset buttons zoom around the centre or show everything. A drag never counts as a click on what it
 * started on (a node or a dot is a link). The zoom factor is in the svg's data-zoom. */
(function () {
  "use strict";

  const MAX_ZOOM = 20;
  const STEP = 1.5;

  function zoomable(root, W, H) {
    const view = { x: 0, y: 0, w: W, h: H };
    const set = () => {
      root.setAttribute("viewBox", `${view.x.toFixed(1)} ${view.y.toFixed(1)} ${view.w.toFixed(1)} ${view.h.toFixed(1)}`);
      root.dataset.zoom = (W / view.w).toFixed(2);
    };
    const clamp = () => {
      view.x = Math.min(Math.max(view.x, 0), W - view.w);
      view.y = Math.min(Math.max(view.y, 0), H - view.h);
    };
    function zoom(factor, cx, cy) {
      const w = Math.min(W, Math.max(W / MAX_ZOOM, view.w / factor));
      const h = (w * H) / W;
      const px = cx === undefined ? view.x + view.w / 2 : cx, py = cy === undefined ? view.y + view.h / 2 : cy;
      view.x = px - ((px - view.x) * w) / view.w;
      view.y = py - ((py - view.y) * h) / view.h;
      view.w = w;
      view.h = h;
      clamp();
      set();
    }
    function reset() {
      Object.assign(view, { x: 0, y: 0, w: W, h: H });
      set();
    }
    /** The chart's coordinates of a point on the screen. */
    function point(e) {
      const box = root.getBoundingClientRect();
      return [view.x + ((e.clientX - box.left) / box.width) * view.w, view.y + ((e.clientY - box.top) / box.height) * view.h];
    }
    /** Zoom in on a point of the chart (x, y in chart coordinates), as far as `factor`. */
    function focus(x, y, factor) {
      const w = W / factor, h = H / factor;
      Object.assign(view, { x: x - w / 2, y: y - h / 2, w, h });
      clamp();
      set();
    }
    root.addEventListener("wheel", (e) => {
      e.preventDefault();
      const [x, y] = point(e);
      zoom(e.deltaY < 0 ? 1.25 : 0.8, x, y);
    }, { passive: false });
    let drag = null, moved = false;
    root.addEventListener("pointerdown", (e) => {
      drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
      moved = false;
    });
    root.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const box = root.getBoundingClientRect();
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
      if (!moved) return;
      view.x = drag.vx - (dx / box.width) * view.w;
      view.y = drag.vy - (dy / box.height) * view.h;
      clamp();
      set();
    });
    const stop = () => { drag = null; };
    root.addEventListener("pointerup", stop);
    root.addEventListener("pointerleave", stop);
    root.addEventListener("click", (e) => {
      if (moved) {
        e.preventDefault();
        e.stopPropagation();
        moved = false;
      }
    }, true);
    set();
    active = { zoom, reset, focus };
    wireButtons();
    return active;
  }

  let active = null; // the chart the buttons act on: the last one drawn
  let wired = false;
  function wireButtons() {
    if (wired) return;
    wired = true;
    const button = (id, fn) => {
      const b = document.getElementById(id);
      if (b) b.addEventListener("click", () => { if (active) fn(active); });
    };
    button("zoom-in", (z) => z.zoom(STEP));
    button("zoom-out", (z) => z.zoom(1 / STEP));
    button("zoom-reset", (z) => z.reset());
  }

  window.NE.zoomable = zoomable;
})();
