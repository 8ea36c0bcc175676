/* kg graph view. Every string from the data reaches the DOM through textContent or
   a.href (http/https only), never innerHTML: titles and abstracts are untrusted. */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const HTTP = /^https?:\/\//i;
  const byId = (id) => document.getElementById(id);

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function link(url) {
    if (!url || !HTTP.test(url)) return null;
    const a = el("a", null, url);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  const nodeName = new Map(data.nodes.map((n) => [n.id, n.name]));

  function nodeBox(n, withLink) {
    const box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-kind", n.kind));
    box.appendChild(el("div", "kg-tip-title", n.name));
    if (n.summary) box.appendChild(el("div", "kg-tip-summary", n.summary));
    if (n.results && n.results.length) {
      box.appendChild(el("div", "kg-tip-meta", "Results stated:"));
      for (const r of n.results) box.appendChild(el("div", "kg-tip-result", r));
    }
    if (n.date) box.appendChild(el("div", null, "Date: " + n.date));
    if (n.forms && n.forms.length) box.appendChild(el("div", null, "Written as: " + n.forms.join(" · ")));
    const a = withLink ? link(n.url) : null;
    if (a) box.appendChild(a);
    else if (n.url) box.appendChild(el("div", "kg-tip-meta", n.url));
    if (n.code) {
      const row = el("div", null, "Code: ");
      const code = withLink ? link(n.code) : null;
      row.appendChild(code || el("span", null, n.code));
      box.appendChild(row);
    }
    box.appendChild(el("div", "kg-tip-meta", n.degree + (n.degree === 1 ? " connection" : " connections")));
    return box;
  }

  function edgeBox(e) {
    const box = el("div", "kg-tip");
    box.appendChild(el("div", "kg-tip-kind", e.relation));
    box.appendChild(el("div", "kg-tip-title", nodeName.get(e.from) + " → " + nodeName.get(e.to)));
    for (const ev of e.evidence) {
      box.appendChild(el("div", "kg-tip-quote", "“" + ev.sentence + "”"));
      box.appendChild(el("div", "kg-tip-meta", "extractor: " + ev.extractor));
    }
    if (e.more) box.appendChild(el("div", "kg-tip-meta", "+" + e.more + " more sentences"));
    return box;
  }

  for (const n of data.nodes) n.title = nodeBox(n, false);
  for (const e of data.edges) e.title = edgeBox(e);

  const shownKinds = new Set(data.kinds.map((k) => k.kind));
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const view = new vis.DataView(nodes, { filter: (n) => shownKinds.has(n.kind) });
  const network = new vis.Network(byId("kg-network"), { nodes: view, edges: edges }, data.options);
  // Timings (ms since navigation) for benchmarks/view_stabilise.py.
  const state = { network: network, nodes: nodes, edges: edges, focus: focus,
    constructedAt: performance.now(), stabilisedAt: null };
  window.kgView = state;

  function ready() {
    network.setOptions({ physics: { enabled: false } });
    state.stabilisedAt = performance.now();
    document.body.dataset.state = "ready";
  }
  network.on("stabilizationProgress", (p) => {
    byId("kg-progress").textContent = "Laying out… " + Math.round((100 * p.iterations) / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", ready);
  if (!data.options.physics.enabled) ready();

  // Sidebar: counts, budget message, legend doubling as kind filter.
  const dropped = data.dropped.nodes ? " (" + data.dropped.nodes + " more not shown)" : "";
  byId("kg-stats").textContent = data.nodes.length + " nodes, " + data.edges.length + " edges" + dropped;
  if (data.message) {
    byId("kg-message").textContent = data.message;
    byId("kg-message").hidden = false;
  }
  for (const k of data.kinds) {
    const row = el("label", "kg-row");
    const box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.kind = k.kind;
    box.addEventListener("change", () => {
      network.storePositions();
      if (box.checked) shownKinds.add(k.kind);
      else shownKinds.delete(k.kind);
      view.refresh();
    });
    const glyph = el("span", "kg-glyph", k.glyph);
    glyph.style.color = k.color;
    row.append(box, glyph, el("span", null, k.kind), el("span", "kg-count", k.count));
    byId("kg-kinds").appendChild(row);
  }
  for (const r of data.relations) {
    const row = el("div", "kg-row");
    const line = el("span", "kg-line");
    line.style.background = r.color;
    row.append(line, el("span", null, r.relation.toLowerCase().replace(/_/g, " ")), el("span", "kg-count", r.count));
    byId("kg-relations").appendChild(row);
  }

  // Details panel: the clickable version of the tooltip.
  function details(box) {
    const panel = byId("kg-details");
    panel.replaceChildren(box);
  }
  network.on("click", (params) => {
    if (params.nodes.length) details(nodeBox(nodes.get(params.nodes[0]), true));
    else if (params.edges.length) details(edgeBox(edges.get(params.edges[0])));
  });
  network.on("doubleClick", (params) => {
    const n = params.nodes.length ? nodes.get(params.nodes[0]) : null;
    if (n && n.url && HTTP.test(n.url)) window.open(n.url, "_blank", "noopener,noreferrer");
  });

  // Search: best match first (exact, prefix, substring); Enter steps through matches.
  const names = byId("kg-names");
  for (const n of data.nodes) names.appendChild(el("option", null, n.name));
  let matches = [];
  let cursor = 0;
  function find(query) {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const rank = (n) => {
      const name = n.name.toLowerCase();
      return name === q ? 0 : name.startsWith(q) ? 1 : 2;
    };
    return view.get({ filter: (n) => n.name.toLowerCase().includes(q) })
      .sort((a, b) => rank(a) - rank(b) || a.name.length - b.name.length)
      .map((n) => n.id);
  }
  function focus(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 300 } });
    details(nodeBox(nodes.get(id), true));
  }
  const search = byId("kg-search");
  search.addEventListener("input", () => {
    matches = find(search.value);
    cursor = 0;
    byId("kg-matches").textContent = search.value.trim() ? matches.length + " matching" : "";
    if (matches.length && nodes.get(matches[0]).name.toLowerCase() === search.value.trim().toLowerCase()) {
      focus(matches[0]);
    }
  });
  search.addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter" || !matches.length) return;
    focus(matches[cursor % matches.length]);
    cursor += 1;
  });
})();
