/* The network view: organizations and their relations in a time window. */
"use strict";

(() => {
  const { h, url, getJSON, groupColour, GROUP_LABELS, CATEGORY_COLOURS, monthLabel } = FG;
  const $ = (id) => document.getElementById(id);
  const status = $("status");
  const months = [];
  let facets = null, cy = null, base = null, current = null, playing = null, request = 0;

  const state = readState();

  function readState() {
    const q = new URLSearchParams(location.search);
    return {
      date: q.get("date"),
      months: q.get("months") || "1",
      all: q.get("all") === "1",
      predicate: q.getAll("predicate").flatMap((p) => p.split(",")).filter(Boolean),
      modality: q.getAll("modality").flatMap((p) => p.split(",")).filter(Boolean),
      claimant: q.get("claimant") || "",
      document: q.get("document") || "",
      collapse: q.get("collapse") === "1",
      focus: q.get("focus") || "",
    };
  }

  function params() {
    return {
      date: state.all ? null : state.date,
      months: state.all || state.months === "1" ? null : state.months,
      predicate: state.predicate,
      modality: state.modality.length === facets.modalities.length ? [] : state.modality,
      claimant: state.claimant, document: state.document,
      collapse: state.collapse ? 1 : null,
    };
  }

  function writeState() {
    const p = params();
    if (state.all) p.all = 1;
    if (state.focus) p.focus = state.focus;
    history.replaceState(null, "", url("network", p));
  }

  // -- controls --------------------------------------------------------------------------

  function buildControls() {
    const first = facets.first_year;
    const today = facets.today.slice(0, 7);
    for (let y = first; ; y++) {
      let done = false;
      for (let m = 1; m <= 12; m++) {
        const ym = `${y}-${String(m).padStart(2, "0")}`;
        months.push(ym);
        if (ym >= today) { done = true; break; }
      }
      if (done) break;
    }
    const slider = $("slider");
    slider.max = months.length - 1;
    if (!state.date || !months.includes(state.date.slice(0, 7))) {
      const last = (facets.time.last || today).slice(0, 7);
      state.date = months.includes(last) ? last : today;
    }
    state.date = state.date.slice(0, 7);
    slider.value = months.indexOf(state.date);
    slider.addEventListener("input", () => { state.date = months[+slider.value]; showDate(); schedule(); });
    $("months").value = state.months;
    $("months").addEventListener("change", () => { state.months = $("months").value; schedule(); });
    $("alltime").checked = state.all;
    $("alltime").addEventListener("change", () => { state.all = $("alltime").checked; showDate(); schedule(); });
    $("play").addEventListener("click", togglePlay);
    document.addEventListener("keydown", (ev) => {
      if (FG.isTyping(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (ev.key === " " && ev.target.tagName !== "BUTTON") { ev.preventDefault(); togglePlay(); }
      else if (ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
        const d = ev.key === "ArrowRight" ? 1 : -1;
        slider.value = Math.max(0, Math.min(months.length - 1, +slider.value + d));
        state.date = months[+slider.value]; showDate(); schedule();
      } else if (ev.key === "Escape") closePanel();
    });
    showDate();

    // relation groups with their predicates: the legend doubles as the filter
    const groups = {};
    for (const p of facets.predicates) (groups[p.group] = groups[p.group] || []).push(p);
    if (!state.predicate.length) state.predicate = facets.predicates.filter((p) => p.default).map((p) => p.value);
    const box = $("predicates");
    for (const [g, preds] of Object.entries(groups)) {
      box.append(h("div", { class: "group", dataset: { group: g } },
        h("div", { class: "group-head" },
          h("span", {}, h("span", { class: "swatch", style: { background: groupColour(g) } }), GROUP_LABELS[g] || g),
          h("button", { type: "button", class: "only", title: "Show only " + (GROUP_LABELS[g] || g), dataset: { only: g },
            onclick: () => { state.predicate = preds.map((p) => p.value); syncPredicates(); schedule(true); } }, "only")),
        h("div", { class: "preds" }, preds.map((p) => h("label", { class: "check" },
          h("input", { type: "checkbox", value: p.value, name: "predicate",
            onchange: (ev) => {
              state.predicate = state.predicate.filter((x) => x !== p.value);
              if (ev.target.checked) state.predicate.push(p.value);
              schedule(true);
            } }),
          p.label + (p.directed ? " →" : ""))))));
    }
    box.append(h("button", { type: "button", onclick: () => {
      state.predicate = facets.predicates.filter((p) => p.default).map((p) => p.value); syncPredicates(); schedule(true);
    } }, "all relations"));
    syncPredicates();

    if (!state.modality.length) state.modality = [...facets.modalities];
    FG.fill($("modalities"), ...facets.modalities.map((m) => h("label", { class: "chip check" },
      h("input", { type: "checkbox", value: m, name: "modality", checked: state.modality.includes(m),
        onchange: (ev) => {
          state.modality = state.modality.filter((x) => x !== m);
          if (ev.target.checked) state.modality.push(m);
          schedule(true);
        } }), " " + m)));

    for (const c of facets.claimants) $("claimant").append(h("option", { value: c.value }, `${c.value} (${c.count})`));
    $("claimant").value = state.claimant;
    $("claimant").addEventListener("change", () => { state.claimant = $("claimant").value; schedule(true); });
    for (const d of facets.documents) $("document").append(h("option", { value: d.id }, d.title));
    $("document").value = state.document;
    $("document").addEventListener("change", () => { state.document = $("document").value; schedule(true); });
    $("collapse").checked = state.collapse;
    $("collapse").addEventListener("change", async () => { state.collapse = $("collapse").checked; await loadBase(); schedule(true); });
    FG.fill($("categories"), ...Object.entries(CATEGORY_COLOURS).map(([k, c]) =>
      h("div", {}, h("span", { class: "dot", style: { background: c } }), k.replace(/_/g, " "))));
    $("panel-close").addEventListener("click", closePanel);
    $("fit").addEventListener("click", () => fit());
  }

  function syncPredicates() {
    for (const input of document.querySelectorAll("input[name=predicate]")) input.checked = state.predicate.includes(input.value);
  }

  function showDate() {
    $("slider").disabled = state.all;
    $("months").disabled = state.all;
    $("date-label").textContent = state.all ? "All dates" : monthLabel(state.date);
  }

  function togglePlay() {
    if (playing) { clearInterval(playing); playing = null; $("play").textContent = "▶"; return; }
    state.all = false; $("alltime").checked = false; showDate();
    $("play").textContent = "❚❚";
    playing = setInterval(() => {
      const slider = $("slider");
      if (+slider.value >= months.length - 1) { togglePlay(); return; }
      slider.value = +slider.value + 1;
      state.date = months[+slider.value]; showDate(); schedule();
    }, 800);
  }

  // -- graph -----------------------------------------------------------------------------

  const nodeSize = (deg) => 16 + 7 * Math.sqrt(deg || 0);

  function style() {
    return [
      { selector: "node", style: {
        "background-color": (n) => CATEGORY_COLOURS[n.data("category")] || CATEGORY_COLOURS.organization,
        label: "data(name)", "font-size": 12, color: "#1d2733", "text-valign": "bottom", "text-margin-y": 3,
        "text-wrap": "wrap", "text-max-width": 110, "text-background-color": "#fbfcfd", "text-background-opacity": 0.75,
        "text-background-padding": 1, "min-zoomed-font-size": 6, width: (n) => nodeSize(n.data("degree")), height: (n) => nodeSize(n.data("degree")),
        "border-width": 1, "border-color": "#fff" } },
      { selector: ":parent", style: {
        "background-color": "#eef1f6", "background-opacity": 0.55, "border-color": "#b4bfcc", "border-width": 1,
        "border-style": "dashed", shape: "round-rectangle", "text-valign": "top", "text-margin-y": -3,
        "font-weight": "bold", padding: 12 } },
      { selector: "edge", style: {
        width: (e) => 1.2 + Math.min(6, Math.log2(1 + (e.data("count") || 1)) * 1.3),
        "line-color": (e) => groupColour(e.data("group")), "target-arrow-color": (e) => groupColour(e.data("group")),
        "curve-style": "bezier", opacity: 0.85, "arrow-scale": 0.9 } },
      { selector: "edge[?directed]", style: { "target-arrow-shape": "triangle" } },
      { selector: "edge.alleged", style: { "line-style": "dashed" } },
      { selector: "edge.denied", style: { "line-style": "dotted", opacity: 0.6 } },
      { selector: ":parent.lonely", style: {
        shape: "ellipse", "background-opacity": 1, "border-width": 1, "border-style": "solid", "border-color": "#fff",
        "background-color": (n) => CATEGORY_COLOURS[n.data("category")] || CATEGORY_COLOURS.organization,
        padding: 0, "min-width": (n) => nodeSize(n.data("degree")), "min-height": (n) => nodeSize(n.data("degree")),
        "text-valign": "bottom", "text-margin-y": 3, "font-weight": "normal" } },
      { selector: ".off", style: { display: "none" } },
      { selector: "node:selected", style: { "border-color": "#1f5f99", "border-width": 3 } },
      { selector: "edge:selected", style: { opacity: 1, "underlay-color": "#1f5f99", "underlay-opacity": 0.25, "underlay-padding": 4 } },
      { selector: ".dim", style: { opacity: 0.15 } },
    ];
  }

  function elements(data) {
    const ids = new Set(data.nodes.map((n) => n.id));
    const nodes = data.nodes.map((n) => ({ group: "nodes", data: {
      id: "n" + n.id, eid: n.id, name: n.name, category: n.category, degree: n.degree,
      parent: n.parent && ids.has(n.parent) ? "n" + n.parent : undefined } }));
    const edges = data.edges.map((e) => ({ group: "edges", data: edgeData(e) }));
    return [...nodes, ...edges];
  }

  // what each predicate looks like: label, colour group, direction (from the facets)
  const kindOf = (p) => (facets.predicates.find((x) => x.value === p)
    || { label: p.replace(/_/g, " "), group: "other", directed: false });

  function edgeData(e) {
    const k = kindOf(e.predicate);
    return { id: "e" + e.id, source: "n" + e.source, target: "n" + e.target, a: e.source, b: e.target,
      predicate: e.predicate, label: k.label, group: k.group, directed: k.directed, count: e.count,
      modalities: e.modalities, first: e.first, last: e.last };
  }

  async function loadBase() {
    status.textContent = "Laying out…";
    const all = facets.predicates.map((p) => p.value);
    base = await getJSON(url("api", "graph", { predicate: all, collapse: state.collapse ? 1 : null, undated: 1, max_edges: 3000 }));
    $("tooltip").hidden = true;
    closePanel();
    if (cy) cy.destroy();
    cy = cytoscape({ container: $("cy"), elements: elements(base), style: style(),
      minZoom: 0.1, maxZoom: 4, boxSelectionEnabled: false });
    window.fgNetwork = { cy, state, reload: () => refresh() };
    const big = base.nodes.length > 400;
    const layout = cy.layout(typeof cytoscapeFcose === "function"
      ? { name: "fcose", quality: big ? "draft" : "proof", animate: false, randomize: true,
          nodeRepulsion: () => 60000, idealEdgeLength: () => 160, edgeElasticity: () => 0.1,
          nestingFactor: 0.1, gravity: 0.3, gravityCompound: 1.6, gravityRangeCompound: 1.2,
          nodeSeparation: 110, numIter: 3000, tile: true, packComponents: true }
      : { name: "cose", animate: false });
    layout.run();
    bindEvents();
    fitted = false;
  }

  function edgeTip(d) {
    const mods = Object.entries(d.modalities || {}).map(([k, v]) => `${v} ${k}`).join(", ");
    const a = cy.getElementById(d.source).data("name"), b = cy.getElementById(d.target).data("name");
    const span = d.first && d.first === d.last ? ` · ${d.first}`
      : d.first || d.last ? ` · ${d.first || "…"} – ${d.last || "…"}` : "";
    return [`${a} ${d.directed ? "→" : "—"} ${d.label} ${d.directed ? "→" : "—"} ${b}`,
      `${d.count} assertion${d.count === 1 ? "" : "s"} (${mods})${span}`];
  }

  function bindEvents() {
    const tip = $("tooltip");
    const place = (ev) => {
      const p = ev.renderedPosition, w = $("cy").clientWidth;
      const left = p.x + 14 + tip.offsetWidth > w ? Math.max(0, p.x - 14 - tip.offsetWidth) : p.x + 14;
      tip.style.left = left + "px"; tip.style.top = p.y + 10 + "px";
    };
    cy.on("mouseover", "edge", (ev) => {
      FG.fill(tip, ...edgeTip(ev.target.data()).map((l, i) => h("div", { class: i ? "muted-tip" : "" }, l)));
      tip.hidden = false; place(ev);
    });
    cy.on("mouseover", "node", (ev) => {
      const d = ev.target.data();
      FG.fill(tip, h("div", {}, d.name), h("div", {}, `${(d.category || "").replace(/_/g, " ")} · ${d.degree || 0} relations`));
      tip.hidden = false; place(ev);
    });
    cy.on("mousemove", (ev) => { if (!tip.hidden) place(ev); });
    cy.on("mouseout", "edge, node", () => { tip.hidden = true; });
    cy.on("tap", "edge", (ev) => openRelation(ev.target.data()));
    cy.on("tap", "node", (ev) => openEntity(ev.target.data()));
    cy.on("tap", (ev) => { if (ev.target === cy && state.focus) { state.focus = ""; highlight(); writeState(); } });
    cy.on("dbltap", "node", (ev) => { location.href = url("entity", ev.target.data("eid")); });
  }

  let fitted = false;
  function fit() {
    const shown = cy.elements(":visible");
    cy.fit(shown.length ? shown : undefined, 50);
    if (cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(shown.length ? shown : undefined); }
  }

  // whether every shown element lies inside the visible part of the canvas
  function inView() {
    const shown = cy.elements(":visible");
    if (!shown.length) return true;
    const b = shown.boundingBox(), v = cy.extent();
    return b.x1 >= v.x1 && b.y1 >= v.y1 && b.x2 <= v.x2 && b.y2 <= v.y2;
  }

  let timer = null;
  // filter changes fit the result in view; moves in time keep the view still
  let refit = false;
  function schedule(fitAfter = false) {
    refit = refit || fitAfter;
    clearTimeout(timer); timer = setTimeout(refresh, 60); writeState();
  }

  async function refresh() {
    const mine = ++request;
    status.textContent = "Loading…";
    let data;
    try {
      data = await getJSON(url("api", "graph", params()));
    } catch (err) { status.textContent = "Error: " + err.message; return; }
    if (mine !== request) return;
    current = data;
    apply(data);
    writeState();
  }

  // with a focus, everything but the entity and its direct relations is dimmed
  function highlight() {
    cy.elements().removeClass("dim");
    const node = state.focus ? cy.getElementById("n" + state.focus) : null;
    if (!node || node.empty() || node.hasClass("off")) return null;
    const own = node.union(node.descendants());
    const edges = own.connectedEdges();
    const ends = edges.connectedNodes();
    const near = own.union(edges).union(ends).union(ends.ancestors()).union(node.ancestors());
    cy.elements().difference(near).addClass("dim");
    return own.union(edges).union(ends);
  }

  function apply(data) {
    $("tooltip").hidden = true;
    const added = [];
    cy.batch(() => {
      cy.elements().addClass("off");
      for (const n of data.nodes) {
        let el = cy.getElementById("n" + n.id);
        if (el.empty()) { el = cy.add({ group: "nodes", data: { id: "n" + n.id, eid: n.id, name: n.name, category: n.category } }); added.push(el[0]); }
        el.data("degree", n.degree);
        el.removeClass("off");
      }
      if (!state.collapse) {
        for (const n of data.nodes) {
          const el = cy.getElementById("n" + n.id), parent = n.parent ? cy.getElementById("n" + n.parent) : null;
          if (added.includes(el[0]) && parent && parent.nonempty()) el.move({ parent: parent.id() });
        }
      }
      for (const e of data.edges) {
        let el = cy.getElementById("e" + e.id);
        if (el.empty()) el = cy.add({ group: "edges", data: edgeData(e) });
        else el.data(edgeData(e));
        const mods = Object.keys(e.modalities);
        el.toggleClass("alleged", mods.every((m) => m === "alleged"));
        el.toggleClass("denied", mods.every((m) => m === "denied"));
        el.removeClass("off");
      }
    });
    placeNew(added);
    const focused = highlight();
    // a parent with none of its factions shown is drawn as an ordinary node
    cy.nodes(":parent").forEach((n) => n.toggleClass("lonely", n.children().every((c) => c.hasClass("off"))));
    if (focused && !fitted) {
      cy.fit(focused.filter(":visible"), 60);
      if (cy.zoom() > 1.4) { cy.zoom(1.4); cy.center(focused.filter(":visible")); }
      fitted = true;
    } else if (!fitted || refit || !inView()) { fit(); fitted = true; refit = false; }
    $("empty").hidden = data.edges.length > 0;
    const shown = data.counts;
    status.textContent = `${state.all ? "All dates" : monthLabel(state.date) + (state.months !== "1" ? ` (${state.months} months)` : "")} · ${shown.nodes} organizations · ${shown.edges} relations · ${shown.assertions} assertions`;
    $("edge-count").textContent = data.edges.length;
    const names = Object.fromEntries(data.nodes.map((n) => [n.id, n.name]));
    FG.fill($("edges"), ...data.edges.map((e) => {
      const d = edgeData(e), arrow = d.directed ? "→" : "—";
      return h("li", {
        dataset: { edge: e.id, predicate: e.predicate }, tabindex: 0,
        onclick: () => openRelation(d),
        onkeydown: (ev) => { if (ev.key === "Enter") openRelation(d); },
      }, h("span", { class: "swatch", style: { background: groupColour(d.group) } }),
        `${names[e.source]} ${arrow} ${d.label} ${arrow} ${names[e.target]} (${e.count})`);
    }));
  }

  // New nodes (absent from the layout of all dates) go next to a placed neighbour; when many
  // arrive at once the shown part of the network is laid out again from where it stands.
  function placeNew(added) {
    if (!added.length) return;
    const placed = cy.nodes(":visible").difference(cy.collection(added));
    const box = placed.length ? placed.boundingBox() : { x1: 0, y1: 0, w: 400, h: 400 };
    for (const n of added) {
      const friends = n.neighborhood("node").intersection(placed);
      const p = friends.length ? friends[0].position() : { x: box.x1 + Math.random() * box.w, y: box.y1 + Math.random() * box.h };
      n.position({ x: p.x + (Math.random() - 0.5) * 60, y: p.y + (Math.random() - 0.5) * 60 });
    }
    const shown = cy.nodes(":visible").length;
    if (added.length > 0.2 * shown && shown <= 400) {
      cy.elements(":visible").layout({ name: typeof cytoscapeFcose === "function" ? "fcose" : "cose",
        quality: "default", randomize: false, animate: false, fit: true }).run();
    }
  }

  // -- side panel ------------------------------------------------------------------------

  function closePanel() {
    if ($("panel").hidden) return;
    $("panel").hidden = true;
    if (cy) { cy.elements().unselect(); cy.resize(); }
  }

  function showPanel() {
    if (!$("panel").hidden) return;
    $("panel").hidden = false;
    cy.resize();
    if (!inView()) fit();
  }

  async function openRelation(d) {
    const body = $("panel-body");
    showPanel();
    FG.fill(body, h("p", { class: "loading" }, "Loading…"));
    const el = cy.getElementById(d.id);
    cy.elements().unselect(); el.select();
    try {
      const rel = await getJSON(url("api", "relation", { a: d.a, b: d.b, factions: state.collapse ? 1 : null }));
      const items = rel.assertions.filter((x) => x.predicate === d.predicate);
      const rest = rel.assertions.length - items.length;
      FG.fill(body, 
        h("h2", {}, "Relation"),
        h("h1", { class: "rel-title" }, FG.entityLink(rel.a.id, rel.a.name), d.directed ? " → " : " — ", d.label,
          d.directed ? " → " : " — ", FG.entityLink(rel.b.id, rel.b.name)),
        h("p", { class: "sub" }, `${items.length} assertion${items.length === 1 ? "" : "s"} of this kind`,
          rest ? `, ${rest} of other kinds` : "", " · ",
          h("a", { href: url("relation", { a: rel.a.id, b: rel.b.id }), id: "open-relation" }, "open the full relation")),
        rel.conflicts.length ? h("p", { class: "error" }, `${rel.conflicts.length} conflicting pair(s) — see the full relation`) : null,
        h("div", { id: "evidence" }, items.map((a) => FG.assertionCard(a))),
      );
    } catch (err) { FG.fail(body, err); }
  }

  function openEntity(d) {
    showPanel();
    const related = cy.getElementById(d.id).connectedEdges(":visible");
    FG.fill($("panel-body"), 
      h("h2", {}, (d.category || "organization").replace(/_/g, " ")),
      h("h1", {}, d.name),
      h("p", {}, h("a", { href: url("entity", d.eid) }, "Open the entity page →"), " · ",
        h("a", { href: "#", id: "focus-entity", onclick: (ev) => {
          ev.preventDefault(); state.focus = String(d.eid); highlight(); writeState();
        } }, "highlight its relations")),
      h("h3", {}, `Relations shown (${related.length})`),
      h("ul", {}, related.map((e) => {
        const x = e.data();
        const other = x.source === d.id ? x.target : x.source;
        return h("li", {}, h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); openRelation(x); } },
          `${x.label} ${cy.getElementById(other).data("name")} (${x.count})`));
      })),
    );
  }

  // -- start -----------------------------------------------------------------------------

  (async () => {
    try {
      facets = await getJSON(url("api", "facets"));
      buildControls();
      await loadBase();
      await refresh();
      document.body.dataset.ready = "1";
    } catch (err) { status.textContent = "Error: " + err.message; }
  })();
})();
