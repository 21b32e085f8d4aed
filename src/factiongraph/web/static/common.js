/* Shared helpers for every explorer page. Data is only ever put in the page as text. */
"use strict";

const FG = (() => {
  const query = new URLSearchParams(location.search);
  if (query.get("token")) {  // keep the token for this tab, and out of the address bar
    sessionStorage.setItem("fg-token", query.get("token"));
    query.delete("token");
    const rest = query.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
  }

  const GROUP_LABELS = {
    cooperation: "cooperation / support", ceasefire: "ceasefire / negotiation",
    rivalry: "rivalry / criticism", fighting: "fighting", defection: "defection",
    allegiance: "allegiance", split: "split", structure: "part of",
    membership: "membership", place: "place", other: "other",
  };
  const CATEGORY_COLOURS = {
    armed_group: "#455a64", faction: "#8e7cc3", shura: "#6d8f3c", party: "#c27c2c",
    state: "#3d6fa3", state_agency: "#5f9ea0", international_body: "#9a9a9a",
    organization: "#78909c",
  };
  const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const groupColour = (g) => cssVar("--g-" + g) || cssVar("--g-other");

  /** Build an element: h("a", {href: "/x", class: "y"}, "text", child). Strings become text. */
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
      else if (k === "dataset") Object.assign(el.dataset, v);
      else if (k === "style" && typeof v === "object") {
        for (const [name, value] of Object.entries(v)) {
          if (name.startsWith("--")) el.style.setProperty(name, String(value));
          else el.style[name] = value;
        }
      }
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  /** Replace an element's children; arrays are flattened, null and false are skipped. */
  function fill(el, ...children) {
    el.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false)
      .map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
    return el;
  }

  function url(view, ...args) {
    let params = null;
    if (args.length && typeof args[args.length - 1] === "object") params = args.pop();
    let path = view === "network" ? "/" : "/" + [view, ...args.map(encodeURIComponent)].join("/");
    if (params) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) {
        if (v === null || v === undefined || v === "") continue;
        (Array.isArray(v) ? v : [v]).forEach((x) => q.append(k, x));
      }
      const s = q.toString();
      if (s) path += "?" + s;
    }
    return path;
  }

  async function getJSON(address) {
    const r = await fetch(address, { headers: { Accept: "application/json" } });
    let data = null;
    try { data = await r.json(); } catch (e) { data = { error: r.statusText }; }
    if (!r.ok) throw new Error((data && data.error) || r.statusText);
    return data;
  }

  async function postJSON(address, body) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    const token = sessionStorage.getItem("fg-token");
    if (token) headers["X-Factiongraph-Token"] = token;
    const r = await fetch(address, { method: "POST", headers, body: JSON.stringify(body) });
    let data = null;
    try { data = await r.json(); } catch (e) { data = { error: r.statusText }; }
    if (!r.ok) throw new Error((data && data.error) || r.statusText);
    return data;
  }

  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  function monthLabel(ym) {
    const [y, m] = ym.split("-").map(Number);
    return MONTHS[m - 1] + " " + y;
  }
  function when(a) {
    if (a.valid_time) return a.valid_time;
    return "undated";
  }
  const text = (v, fallback = "") => (v === null || v === undefined || v === "" ? fallback : String(v));

  function entityLink(id, name) { return h("a", { href: url("entity", id) }, name); }

  function citation(a) {
    const d = a.document;
    if (!d) return h("span", { class: "muted" }, "no document");
    const span = a.span_start !== null && a.span_end !== null ? ` · characters ${a.span_start}–${a.span_end}` : "";
    const href = url("document", d.id) + "#a" + a.id;
    return h("span", {}, h("a", { href, class: "cite", title: "Open the passage in the document" }, d.title), span,
      d.published ? " · " + d.published : "");
  }

  /** A card for one assertion: the relation, its time, modality, claimant, quote and source. */
  function assertionCard(a, opts = {}) {
    const arrow = a.directed ? " → " : " — ";
    const card = h("article", {
      class: "card assertion " + a.review_status,
      id: opts.anchor ? "a" + a.id : null,
      dataset: { id: a.id, predicate: a.predicate },
      style: { borderLeftColor: groupColour(a.group) },
    },
      h("div", { class: "line" }, entityLink(a.subject_id, a.subject), arrow + a.label + arrow,
        entityLink(a.object_id, a.object)),
      h("div", { class: "meta" },
        h("span", { class: "when" }, when(a)),
        a.time_text ? h("span", { class: "muted" }, "(“" + a.time_text + "”)") : null,
        h("span", { class: "badge " + a.modality }, a.modality),
        a.claimant ? h("span", {}, "according to ", h("b", {}, a.claimant)) : null,
        a.place ? h("span", {}, "in " + a.place) : null,
        a.attributes && a.attributes.count !== undefined ? h("span", {}, "count: " + a.attributes.count) : null,
        a.review_status !== "machine" ? h("span", { class: "badge " + a.review_status }, a.review_status) : h("span", { class: "badge" }, "unreviewed"),
      ),
      a.quote ? h("blockquote", {}, a.quote) : h("div", { class: "muted" }, "No quote stored."),
      h("div", { class: "meta" }, citation(a), h("a", { href: url("assertion", a.id) }, "#" + a.id)),
    );
    return card;
  }

  function fail(container, err) {
    fill(container, h("p", { class: "error", role: "alert" }, "Could not load: " + err.message));
  }

  /** Search box with suggestions as you type, on every page. */
  function initSearch() {
    const input = document.getElementById("search");
    const list = document.getElementById("suggestions");
    if (!input || !list) return;
    let items = [], active = -1, timer = null, seq = 0;
    const close = () => { list.hidden = true; active = -1; };
    const mark = () => [...list.children].forEach((li, i) => li.setAttribute("aria-selected", i === active));
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (!q) { close(); return; }
      timer = setTimeout(async () => {
        const mine = ++seq;
        try {
          const data = await getJSON(url("api", "entities", { q, limit: 10 }));
          if (mine !== seq) return;
          items = data.results;
          list.replaceChildren(...items.map((e, i) => h("li", {
            role: "option", dataset: { id: e.id },
            onmousedown: (ev) => { ev.preventDefault(); location.href = url("entity", e.id); },
          }, h("span", {}, e.name), h("span", { class: "hint" },
            [e.matched ? "“" + e.matched + "”" : null, e.category || e.kind].filter(Boolean).join(" · ")))));
          list.hidden = items.length === 0;
          active = items.length ? 0 : -1;
          mark();
        } catch (e) { close(); }
      }, 120);
    });
    input.addEventListener("keydown", (ev) => {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { active = Math.min(items.length - 1, active + 1); mark(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(0, active - 1); mark(); ev.preventDefault(); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); location.href = url("entity", items[active].id); }
      else if (ev.key === "Escape") close();
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
  }
  document.addEventListener("DOMContentLoaded", initSearch);

  const jsonUrl = () => document.getElementById("app").dataset.json;
  const view = () => document.getElementById("view");
  const isTyping = (ev) => ["INPUT", "SELECT", "TEXTAREA"].includes(ev.target.tagName) || ev.target.isContentEditable;

  return { h, fill, url, getJSON, postJSON, monthLabel, when, text, entityLink, citation, assertionCard,
    fail, groupColour, GROUP_LABELS, CATEGORY_COLOURS, jsonUrl, view, isTyping };
})();
