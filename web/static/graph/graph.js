/* The linkage graph page: draws the view the server computed (policygraph.graphview) with
 * vis-network and reacts to search, filters and clicks. Text from the data is only ever set
 * with textContent or given to vis-network as a string (drawn on the canvas, tooltips as text).
 *
 * Two modes: "full" draws the whole (small) store; "focus" draws the part of a large store
 * around one element and adds nodes when the user expands one (/api/graph/node), never more
 * than payload.limits.page nodes, placing new nodes beside the old ones without moving them. */
(function () {
  "use strict";

  const FONT = '"Sarabun", "Noto Sans Thai", "Tahoma", sans-serif';
  const DIM = 0.15;
  const INK = "#1d2733";
  const FADED_INK = "#c3cad2";
  const payload = JSON.parse(document.getElementById("graph-data").textContent);
  const view = payload.view;
  const text = payload.text;
  const lang = view.lang;
  const container = document.getElementById("graph");
  const status = document.getElementById("graph-status");
  const $ = (id) => document.getElementById(id);
  const focusMode = payload.mode === "focus";
  const limits = payload.limits || null;
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  const outEdges = new Map();  // node id -> edges going up from it
  const inEdges = new Map();   // node id -> edges coming up into it
  const pending = new Map();   // edge id -> edge not drawn yet: one of its ends is not loaded
  function indexEdge(e) {
    if (!outEdges.has(e.source)) outEdges.set(e.source, []);
    if (!inEdges.has(e.target)) inEdges.set(e.target, []);
    outEdges.get(e.source).push(e);
    inEdges.get(e.target).push(e);
  }
  for (const e of view.edges) {
    if (!(byId.has(e.source) && byId.has(e.target))) pending.set(e.id, e);
  }
  view.edges = view.edges.filter((e) => !pending.has(e.id));
  for (const e of view.edges) indexEdge(e);
  const state = { selected: null, visible: new Set(), edgeOn: () => true };

  // Drawing ------------------------------------------------------------------------------
  function groups() {
    const result = {};
    for (const k of view.kinds) {
      const boxed = k.shape === "box";
      result[k.kind] = {
        shape: k.shape, size: k.size || undefined,
        color: { background: k.color, border: k.color,
                 highlight: { background: k.color, border: "#111" },
                 hover: { background: k.color, border: "#111" } },
        font: boxed ? { color: "#fff", face: FONT, size: 14 } : { color: INK, face: FONT },
        margin: boxed ? 8 : undefined,
      };
    }
    return result;
  }

  function edgeData(e) {
    const s = view.edge_styles[e.style];
    return { id: e.id, from: e.source, to: e.target, width: s.width,
             dashes: s.dashes ? [6, 5] : false,
             color: { color: s.color, highlight: s.color, hover: s.color, opacity: 1 },
             arrows: { to: { enabled: true, scaleFactor: 0.45 } } };
  }

  const nodeData = (n) => ({
    id: n.id, label: n.caption, title: n.title, group: n.kind, level: n.row,
    hidden: n.kind === "Indicator",
  });
  const nodes = new vis.DataSet(view.nodes.map(nodeData));
  const edges = new vis.DataSet(view.edges.map(edgeData));

  function draw() {
    const network = new vis.Network(container, { nodes, edges }, {
      groups: groups(),
      nodes: { font: { face: FONT, size: 14 } },
      edges: { smooth: { type: "cubicBezier", forceDirection: "vertical", roundness: 0.4 } },
      layout: { hierarchical: { enabled: true, direction: "UD", levelSeparation: 100,
                                nodeSpacing: 140, treeSpacing: 160, blockShifting: true,
                                edgeMinimization: true, parentCentralization: true } },
      physics: false,
      interaction: { hover: true, tooltipDelay: 150,
                     keyboard: { enabled: true, bindToWindow: false } },
    });
    // Lay out once, then pin every node and switch the hierarchical engine off, so hiding,
    // dimming and filtering never move anything.
    const positions = network.getPositions();
    network.setOptions({ layout: { hierarchical: { enabled: false } } });
    network.setOptions({ physics: false });  // switching the layout off restores vis defaults
    nodes.update(Object.entries(positions).map(([id, p]) => ({ id, x: p.x, y: p.y })));
    return network;
  }

  // Traversal over the edges currently shown -------------------------------------------------
  function closure(start, direction) {
    const seen = new Set(start);
    const todo = [...start];
    const index = direction === "up" ? outEdges : inEdges;
    while (todo.length) {
      const id = todo.pop();
      for (const e of index.get(id) || []) {
        const next = direction === "up" ? e.target : e.source;
        if (state.edgeOn(e) && state.visible.has(next) && !seen.has(next)) {
          seen.add(next);
          todo.push(next);
        }
      }
    }
    return seen;
  }

  // Filters ------------------------------------------------------------------------------
  function applyFilters() {
    const plan = $("filter-plan").value;
    const year = $("filter-year").value;
    const unit = $("filter-unit").value;
    const bases = { Stated: $("filter-stated").checked, Inferred: $("filter-inferred").checked };
    const indicators = $("filter-indicators").checked;
    state.edgeOn = (e) => !e.basis || bases[e.basis];
    const matches = (n) => n.kind !== "Indicator" && (!plan || n.plan === plan)
      && (!year || String(n.fiscal_year) === year)
      && (!unit || n.units.some((u) => u.id === unit));
    state.visible = new Set(view.nodes.filter((n) => n.kind !== "Indicator").map((n) => n.id));
    if (plan || year || unit) {
      state.visible = closure(view.nodes.filter(matches).map((n) => n.id), "up");
    }
    if (indicators) {  // an indicator is shown with the element it measures
      for (const n of view.nodes) {
        if (n.kind === "Indicator" && (outEdges.get(n.id) || []).some(
          (e) => e.relation === "indicatorOf" && state.visible.has(e.target))) {
          state.visible.add(n.id);
        }
      }
    }
    nodes.update(view.nodes.map((n) => ({ id: n.id, hidden: !state.visible.has(n.id) })));
    edges.update(view.edges.map((e) => ({
      id: e.id,
      hidden: !(state.edgeOn(e) && state.visible.has(e.source) && state.visible.has(e.target)),
    })));
    container.dataset.visible = String(state.visible.size);
    if (state.selected && !state.visible.has(state.selected)) clearSelection();
    else if (state.selected) highlight(state.selected);
  }

  // Selection: the chain up to Level 1 and everything under the node -------------------------
  const boxed = new Set(view.kinds.filter((k) => k.shape === "box").map((k) => k.kind));

  function nodeLook(n, on) {
    const ink = boxed.has(n.kind) ? "#fff" : on ? INK : FADED_INK;
    return { id: n.id, opacity: on ? 1 : DIM, font: { color: ink } };
  }

  function highlight(id) {
    const chain = new Set([...closure([id], "up"), ...closure([id], "down")]);
    nodes.update(view.nodes.map((n) => nodeLook(n, chain.has(n.id))));
    edges.update(view.edges.map((e) => {
      const on = chain.has(e.source) && chain.has(e.target);
      const c = view.edge_styles[e.style].color;
      return { id: e.id, color: { color: c, highlight: c, hover: c, opacity: on ? 1 : DIM } };
    }));
    container.dataset.selected = id;
    container.dataset.chain = [...chain].sort().join(" ");
    return chain;
  }

  function clearSelection() {
    state.selected = null;
    nodes.update(view.nodes.map((n) => nodeLook(n, true)));
    edges.update(view.edges.map(edgeData).map((e) => ({ id: e.id, color: e.color })));
    delete container.dataset.selected;
    delete container.dataset.chain;
    network.unselectAll();
    $("graph-panel-body").hidden = true;
    $("graph-panel-hint").hidden = false;
  }

  function select(id, focus) {
    if (!byId.has(id)) return;
    if (!state.visible.has(id)) {  // a search hit hidden by the filters: show everything again
      for (const f of ["filter-plan", "filter-year", "filter-unit"]) $(f).value = "";
      if (byId.get(id).kind === "Indicator") $("filter-indicators").checked = true;
      applyFilters();
    }
    state.selected = id;
    const chain = highlight(id);
    network.selectNodes([id]);
    if (focus) {
      network.fit({ nodes: [...chain], maxZoomLevel: 1.2, animation: { duration: 400 } });
    }
    showPanel(byId.get(id), chain);
  }

  // Side panel -----------------------------------------------------------------------------
  function field(name) {
    return document.querySelector('#graph-panel [data-field="' + name + '"]');
  }

  function row(name, shown) {
    for (const el of document.querySelectorAll('#graph-panel [data-row="' + name + '"]')) {
      el.hidden = !shown;
    }
  }

  function item(parent, label, onClick) {
    const li = document.createElement("li");
    if (onClick) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "linkish";
      button.textContent = label;
      button.addEventListener("click", onClick);
      li.appendChild(button);
    } else {
      li.textContent = label;
    }
    parent.appendChild(li);
    return li;
  }

  function showPanel(n, chain) {
    const other = lang === "th" ? n.labels.en : n.labels.th;
    field("label").textContent = n.label;
    field("other-label").textContent = other && other !== n.label ? other : "";
    field("kind").textContent = n.kind_name;
    field("level").textContent = n.level ? n.level : text.no_level;
    const plan = n.plan && n.plan !== n.id ? byId.get(n.plan) : null;
    row("plan", Boolean(plan));
    field("plan").textContent = plan ? plan.label : "";
    field("plan").onclick = plan ? () => select(plan.id, true) : null;
    row("year", n.fiscal_year_be !== null);
    field("year").textContent = n.fiscal_year_be !== null ? String(n.fiscal_year_be) : "";
    row("budget", Boolean(n.budget));
    field("budget").textContent = !n.budget ? "" : n.budget.amount_text
      ? n.budget.amount_text + " " + text.baht : n.budget.status_name;
    row("units", n.units.length > 0);
    field("units").replaceChildren();
    for (const u of n.units) item(field("units"), u.label);
    field("chain-count").textContent = String(chain.size);
    const list = field("alignments");
    list.replaceChildren();
    const touching = view.edges.filter((e) => e.relation === "supports"
      && (e.source === n.id || e.target === n.id));
    for (const e of touching) {
      const up = e.source === n.id;
      const otherNode = byId.get(up ? e.target : e.source);
      const li = item(list, "");
      const verb = document.createElement("span");
      verb.textContent = (up ? text.supports_dir : text.supported_dir) + " ";
      const link = document.createElement("button");
      link.type = "button";
      link.className = "linkish";
      link.textContent = otherNode.label;
      link.addEventListener("click", () => select(otherNode.id, true));
      const basis = document.createElement("span");
      basis.className = e.basis === "Stated" ? "basis-stated" : "basis-inferred";
      basis.textContent = " [" + (e.basis === "Stated" ? text.stated : text.inferred) + "]";
      li.append(verb, link, basis);
      li.dataset.basis = e.basis;
    }
    field("no-alignments").hidden = touching.length > 0;
    if (focusMode) showExpand(n);
    const url = new URL(n.url, window.location.origin);
    url.searchParams.set("lang", lang);
    field("url").href = url.pathname + url.search;
    $("graph-panel-hint").hidden = true;
    $("graph-panel-body").hidden = false;
  }

  // Search ---------------------------------------------------------------------------------
  const fold = (s) => (s || "").normalize("NFKC").toLowerCase();
  const searchKey = (n) => ({
    node: n, key: [n.labels.th, n.labels.en, n.id.split("/id/").pop()].map(fold).join("\n"),
  });
  const searchable = view.nodes.map(searchKey);

  function search() {
    const query = fold($("graph-search").value.trim());
    const results = $("graph-results");
    results.replaceChildren();
    const hits = query ? searchable.filter((s) => s.key.includes(query)).slice(0, 20) : [];
    $("graph-no-match").hidden = !query || hits.length > 0;
    for (const hit of hits) {
      const li = item(results, hit.node.label, () => select(hit.node.id, true));
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = hit.node.kind_name;
      li.firstChild.appendChild(kind);
      li.firstChild.dataset.id = hit.node.id;
    }
    return hits;
  }

  // Focus mode: part of a large store, expanded on demand ---------------------------------
  const SPACING = 150;       // horizontal room per node on a row
  const ROW_HEIGHT = 100;    // the layout's levelSeparation
  const expanded = new Set();
  let lastSlice = payload.slice || null;
  let busy = false;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  }

  function showCount() {
    if (!focusMode) return;
    const shown = byId.size;
    container.dataset.count = String(shown);
    if (!shown) {
      status.textContent = text.choose_start;
      return;
    }
    const numbers = { shown: shown.toLocaleString("en-US"), cap: limits.page.toLocaleString("en-US"),
                      total: limits.total.toLocaleString("en-US") };
    const parts = [fill(shown >= limits.page ? text.cap_full : text.cap_page, numbers)];
    if (lastSlice && lastSlice.truncated && lastSlice.message) parts.push(lastSlice.message);
    status.textContent = parts.join(" ");
    $("graph-cap").hidden = !(shown >= limits.page || (lastSlice && lastSlice.truncated));
    $("graph-cap").textContent = parts.join(" ");
  }

  function showExpand(n) {
    const button = $("graph-expand");
    button.hidden = false;
    button.disabled = busy || byId.size >= limits.page;
    button.textContent = expanded.has(n.id) ? text.expanded_all : text.expand;
    button.onclick = () => expand(n.id);
  }

  // Where a new node goes: on its row, as near the anchor's x as there is room.
  function place(added, anchor) {
    const all = network.getPositions();
    const at = all[anchor] || { x: 0, y: 0 };
    const anchorRow = byId.has(anchor) ? byId.get(anchor).row : 0;
    const taken = new Map();  // row -> xs in use
    for (const [id, p] of Object.entries(all)) {
      const r = byId.has(id) ? byId.get(id).row : null;
      if (r === null) continue;
      if (!taken.has(r)) taken.set(r, []);
      taken.get(r).push(p.x);
    }
    return added.map((n) => {
      const xs = taken.get(n.row) || [];
      let x = at.x;
      for (let k = 0; k < 2000; k += 1) {
        const candidate = at.x + (k % 2 ? 1 : -1) * Math.ceil(k / 2) * SPACING;
        if (xs.every((used) => Math.abs(used - candidate) >= SPACING - 10)) {
          x = candidate;
          break;
        }
      }
      xs.push(x);
      taken.set(n.row, xs);
      return { id: n.id, x, y: at.y + (n.row - anchorRow) * ROW_HEIGHT };
    });
  }

  function addOption(selectId, value, label) {
    const list = $(selectId);
    if ([...list.options].some((o) => o.value === value)) return;
    const option = document.createElement("option");
    option.value = value;
    option.textContent = label;
    list.appendChild(option);
  }

  function addSlice(slice, anchor) {
    const room = limits.page - byId.size;
    const added = slice.nodes.filter((n) => !byId.has(n.id)).slice(0, Math.max(0, room));
    const spots = place(added, anchor);
    for (const n of added) {
      byId.set(n.id, n);
      view.nodes.push(n);
      searchable.push(searchKey(n));
      if (n.kind === "Plan" || n.kind === "StandardSet") {
        addOption("filter-plan", n.id, (n.level || "–") + " · " + n.label);
      }
      for (const u of n.units) addOption("filter-unit", u.id, u.label);
    }
    nodes.add(added.map((n, i) => Object.assign(nodeData(n), { x: spots[i].x, y: spots[i].y })));
    for (const e of slice.edges) if (!pending.has(e.id)) pending.set(e.id, e);
    const drawn = [];
    for (const [id, e] of pending) {
      if (byId.has(e.source) && byId.has(e.target)) {
        pending.delete(id);
        if (view.edges.some((old) => old.id === id)) continue;
        view.edges.push(e);
        indexEdge(e);
        drawn.push(edgeData(e));
      }
    }
    edges.add(drawn);
    return added;
  }

  async function expand(id) {
    if (busy || !byId.has(id)) return;
    const room = limits.page - byId.size;
    if (room <= 0) {
      lastSlice = null;
      showCount();
      return;
    }
    busy = true;
    $("graph-expand").disabled = true;
    status.textContent = text.expanding;
    const query = new URLSearchParams({ iri: id, depth: "1", lang,
                                        limit: String(Math.min(limits.slice, room)) });
    if ($("filter-year").value) query.set("year", $("filter-year").value);
    if ($("filter-indicators").checked) query.set("indicators", "true");
    try {
      const response = await fetch("/api/graph/node?" + query.toString(),
                                   { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const slice = await response.json();
      const added = addSlice(slice, id);
      expanded.add(id);
      lastSlice = slice;
      applyFilters();
      if (added.length) {
        network.fit({ nodes: [id, ...added.map((n) => n.id)], maxZoomLevel: 1.2,
                      animation: { duration: 400 } });
      }
      busy = false;
      select(id, false);
      showCount();
    } catch (error) {
      busy = false;
      status.textContent = text.expand_failed + " (" + error.message + ")";
    }
    container.dataset.expanded = [...expanded].sort().join(" ");
  }

  // Search the store (not only what is drawn): a hit not drawn yet starts a new drawing.
  let searchTimer = null;
  let searchToken = 0;

  async function storeSearch() {
    const q = $("graph-search").value.trim();
    const token = ++searchToken;
    const results = $("graph-results");
    if (!q) {
      results.replaceChildren();
      $("graph-no-match").hidden = true;
      return [];
    }
    const response = await fetch("/api/graph/search?" + new URLSearchParams({ q, lang }));
    const hits = response.ok ? await response.json() : [];
    if (token !== searchToken) return hits;
    results.replaceChildren();
    $("graph-no-match").hidden = hits.length > 0;
    for (const hit of hits) {
      const li = item(results, hit.label, () => openHit(hit.id));
      const kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = hit.kind_name + (byId.has(hit.id) ? "" : " " + text.not_on_page);
      li.firstChild.appendChild(kind);
      li.firstChild.dataset.id = hit.id;
    }
    return hits;
  }

  function openHit(id) {
    if (byId.has(id)) {
      select(id, true);
      return;
    }
    const url = new URL("/graph", window.location.origin);
    url.searchParams.set("lang", lang);
    url.searchParams.set("focus", id);
    window.location.assign(url.pathname + url.search);
  }

  function startFocusMode() {
    $("graph-search").addEventListener("input", () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(storeSearch, 250);
    });
    $("graph-search-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      clearTimeout(searchTimer);
      const hits = await storeSearch();
      if (hits.length) openHit(hits[0].id);
    });
    network.on("doubleClick", (params) => {
      if (params.nodes.length) expand(params.nodes[0]);
    });
    showCount();
  }

  // Start ----------------------------------------------------------------------------------
  let network;
  const fonts = ["400 14px Sarabun", "700 14px Sarabun"].flatMap(
    (f) => [document.fonts.load(f, "ก"), document.fonts.load(f, "A")]);
  Promise.all(fonts).catch(() => null).then(() => {
    network = draw();
    applyFilters();
    network.once("afterDrawing", () => {
      container.dataset.readyMs = String(Math.round(performance.now()));
      container.dataset.ready = "true";
      status.textContent = "";
      showCount();
    });
    network.fit();
    network.on("click", (params) => {
      if (params.nodes.length) select(params.nodes[0], false);
      else if (!params.edges.length) clearSelection();
    });
    if (focusMode) {
      startFocusMode();
    } else {
      $("graph-search").addEventListener("input", search);
      $("graph-search-form").addEventListener("submit", (event) => {
        event.preventDefault();
        const hits = search();
        if (hits.length) select(hits[0].node.id, true);
      });
    }
    for (const id of ["filter-plan", "filter-year", "filter-unit", "filter-stated",
                      "filter-inferred", "filter-indicators"]) {
      $(id).addEventListener("change", applyFilters);
    }
    $("graph-clear").addEventListener("click", clearSelection);
    $("graph-fit").addEventListener("click", () => network.fit({ animation: true }));
    if (payload.focus && byId.has(payload.focus)) select(payload.focus, true);
    window.linkageGraph = { network, nodes, edges, select, clearSelection, state, expand };
  });
}());
