/* /docs: the API's endpoints and parameters, read from /openapi.json (no external assets). */
(function () {
  "use strict";
  const { el, api, clear, append, status, fail } = window.NE;

  function paramType(schema) {
    if (!schema) return "";
    if (schema.enum) return schema.enum.join(" | ");
    if (schema.anyOf) return schema.anyOf.map(paramType).filter((t) => t && t !== "null").join(" | ");
    let t = schema.type || "";
    if (schema.minimum !== undefined || schema.maximum !== undefined) t += ` ${schema.minimum ?? ""}–${schema.maximum ?? ""}`;
    return t;
  }

  async function load() {
    try {
      const spec = await api("/openapi.json");
      const root = clear(document.getElementById("endpoints"));
      for (const [path, ops] of Object.entries(spec.paths)) {
        const op = ops.get;
        if (!op) continue;
        const params = op.parameters || [];
        const example = path.includes("{") ? null : path;
        append(root, [el("section", { class: "endpoint" },
          el("h2", {}, el("span", { class: "method" }, "GET"), " ", example ? el("a", { href: example }, path) : path),
          el("p", {}, op.description || op.summary || ""),
          params.length ? el("table", { class: "data params" },
            el("thead", {}, el("tr", {}, el("th", {}, "Parameter"), el("th", {}, "In"), el("th", {}, "Type"), el("th", {}, "Description"))),
            el("tbody", {}, params.map((p) => el("tr", {},
              el("td", {}, el("code", {}, p.name), p.required ? " *" : ""), el("td", {}, p.in),
              el("td", {}, paramType(p.schema)), el("td", {}, p.description || ""))))) : null)]);
      }
      status(`${spec.info.title} ${spec.info.version}`);
    } catch (e) {
      fail(e);
    }
  }

  load();
})();
