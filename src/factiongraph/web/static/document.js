/* Document reader: the text with mentions and evidence highlighted, and the assertions it
   supports; select a passage to add an assertion from it. */
"use strict";

(async () => {
  const { h, url, getJSON, postJSON, assertionCard } = FG;
  const root = FG.view();
  let d;
  try { d = await getJSON(FG.jsonUrl()); } catch (err) { FG.fail(root, err); return; }
  const byId = Object.fromEntries(d.assertions.map((a) => [a.id, a]));
  const side = h("aside", { class: "side", id: "side" });
  const textBox = h("div", { class: "doc-text", id: "text", tabindex: 0 });
  let selection = null;

  function showAssertions(ids, title) {
    FG.fill(side, 
      h("h3", {}, title),
      ids.map((i) => assertionCard(byId[i], { anchor: false })),
      h("p", {}, h("a", { href: "#", onclick: (ev) => { ev.preventDefault(); showAll(); } }, "← all assertions of this document")),
    );
    for (const c of side.querySelectorAll(".card")) c.classList.add("focus");
  }

  function showAll() {
    FG.fill(side, 
      h("h3", {}, `Assertions (${d.assertions.length})`),
      d.has_text ? h("p", { class: "muted" }, "Select a passage of the text to add an assertion from it.") : null,
      d.assertions.length ? d.assertions.map((a) => assertionCard(a, { anchor: true })) : h("p", { class: "muted" }, "None."),
    );
  }

  // Cut the text at every boundary of a mention or an evidence span; each piece is a span
  // that knows its offset, the assertions whose evidence covers it and the entity it names.
  function renderText() {
    const text = d.text;
    const cuts = new Set([0, text.length]);
    for (const m of d.mentions) { cuts.add(m.start); cuts.add(m.end); }
    for (const e of d.evidence) { cuts.add(e.start); cuts.add(e.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const starts = new Map();
    for (const e of d.evidence) (starts.get(e.start) || starts.set(e.start, []).get(e.start)).push(e);
    const mentionAt = new Map(d.mentions.map((m) => [m.start, m]));
    let active = [], mention = null;
    const frag = document.createDocumentFragment();
    for (let i = 0; i < points.length - 1; i++) {
      const p = points[i], q = points[i + 1];
      active = active.filter((e) => e.end > p).concat(starts.get(p) || []);
      if (mention && mention.end <= p) mention = null;
      if (mentionAt.has(p)) mention = mentionAt.get(p);
      const ids = [...new Set(active.flatMap((e) => e.assertions))];
      const cls = [ids.length ? "ev" : "", ids.length > 1 ? "multi" : "", mention ? "mention" : ""].filter(Boolean).join(" ");
      const piece = h("span", {
        class: cls || null,
        dataset: Object.assign({ start: p }, ids.length ? { assertions: ids.join(" ") } : {}, mention ? { entity: mention.entity_id } : {}),
        title: mention ? mention.name : null,
      }, text.slice(p, q));
      frag.append(piece);
    }
    FG.fill(textBox, frag);
    textBox.addEventListener("click", (ev) => {
      const span = ev.target.closest("span[data-assertions]");
      if (span && !String(window.getSelection())) {
        const ids = span.dataset.assertions.split(" ").map(Number);
        highlight(ids);
        showAssertions(ids, ids.length > 1 ? "Assertions at this passage" : "Assertion at this passage");
      } else if (ev.target.dataset.entity && !String(window.getSelection()) && ev.altKey) {
        location.href = url("entity", ev.target.dataset.entity);
      }
    });
    textBox.addEventListener("mouseup", () => setTimeout(onSelect, 0));
  }

  function highlight(ids) {
    for (const s of textBox.querySelectorAll(".flash")) s.classList.remove("flash");
    let first = null;
    for (const s of textBox.querySelectorAll("span[data-assertions]")) {
      const mine = s.dataset.assertions.split(" ").map(Number);
      if (mine.some((i) => ids.includes(i))) { s.classList.add("flash"); first = first || s; }
    }
    return first;
  }

  function offsetOf(node, offset) {
    if (node.nodeType === Node.TEXT_NODE) return +node.parentElement.dataset.start + offset;
    const child = node.childNodes[offset];
    if (child && child.dataset) return +child.dataset.start;
    return d.text.length;
  }

  function onSelect() {
    const sel = window.getSelection();
    if (!sel || sel.isCollapsed || !textBox.contains(sel.anchorNode) || !textBox.contains(sel.focusNode)) return;
    const r = sel.getRangeAt(0);
    let start = offsetOf(r.startContainer, r.startOffset), end = offsetOf(r.endContainer, r.endOffset);
    if (start > end) [start, end] = [end, start];
    while (start < end && /\s/.test(d.text[start])) start++;
    while (end > start && /\s/.test(d.text[end - 1])) end--;
    if (end <= start) return;
    selection = { start, end };
    addForm();
  }

  async function addForm() {
    const facets = await getJSON(url("api", "facets"));
    const quote = d.text.slice(selection.start, selection.end);
    const msg = h("p", { class: "muted", role: "status" });
    const input = (name, label, attrs = {}) => h("label", {}, label, h("input", Object.assign({ name, list: "entity-names" }, attrs)));
    const names = h("datalist", { id: "entity-names" });
    const suggest = async (ev) => {
      const v = ev.target.value.trim();
      if (v.length < 2) return;
      const r = await getJSON(url("api", "entities", { q: v, limit: 8 }));
      FG.fill(names, ...r.results.map((e) => h("option", { value: e.name })));
    };
    const form = h("form", { class: "add", id: "add-form" },
      h("h3", {}, "Add an assertion from the selected passage"),
      h("div", { class: "quote" }, "“" + quote + "”"),
      h("p", { class: "muted" }, `characters ${selection.start}–${selection.end}`),
      input("subject", "Subject", { required: true, oninput: suggest }),
      h("label", {}, "Predicate", h("select", { name: "predicate" },
        [...facets.predicates.map((p) => p.value), "leads", "member_of", "operates_in", "killed_by"].map((p) => h("option", { value: p }, p.replace(/_/g, " "))))),
      input("object", "Object", { required: true, oninput: suggest }),
      h("label", {}, "When (EDTF, e.g. 2017-10 or 2015/2016)", h("input", { name: "valid_time" })),
      h("label", {}, "Modality", h("select", { name: "modality" }, facets.modalities.map((m) => h("option", { value: m }, m)))),
      h("label", {}, "According to", h("input", { name: "claimant" })),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "create_entities" }), " create unknown entities"),
      names,
      h("div", { class: "actions" }, h("button", { class: "primary", type: "submit" }, "Add"),
        h("button", { type: "button", onclick: () => showAll() }, "Cancel")),
      msg,
    );
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = new FormData(form);
      const body = {
        subject: f.get("subject"), predicate: f.get("predicate"), object: f.get("object"),
        valid_time: f.get("valid_time") || null, modality: f.get("modality"), claimant: f.get("claimant") || null,
        document: d.id, start: selection.start, end: selection.end, create_entities: f.get("create_entities") === "on",
      };
      try {
        const a = await postJSON(url("api", "assertions"), body);
        msg.textContent = `Added assertion #${a.id}.`;
        location.hash = "a" + a.id;
        location.reload();
      } catch (err) { msg.textContent = "Not added: " + err.message; msg.className = "error"; }
    });
    FG.fill(side, form);
    form.querySelector("input[name=subject]").focus();
  }

  FG.fill(root, 
    h("h1", { class: "title" }, d.title),
    h("p", { class: "sub" }, [d.published, d.publisher, d.authors.join(", "), d.key, `version ${d.version}`].filter(Boolean).join(" · "),
      d.versions.length > 1 ? [" · versions: ", d.versions.map((v) => [h("a", { href: url("document", v.id) }, String(v.version)), " "])] : null),
    d.has_text
      ? h("div", { class: "reader" },
        h("div", {}, textBox,
          h("p", { class: "muted keys" }, "Highlighted: evidence of an assertion (click to open it). Underlined: a name of an entity (Alt+click opens it).")),
        side)
      : h("div", { class: "citations" },
        h("div", { class: "notice", id: "no-text" },
          "The text of this document is not stored in this knowledge base; only its citations are. " +
          "Each assertion below gives the character span of the document it rests on. " +
          "Ingesting the same document fills in the text and the quotes."),
        side),
  );
  if (d.has_text) renderText();
  showAll();

  const m = location.hash.match(/^#a(\d+)$/);
  if (m && byId[+m[1]]) {
    const id = +m[1];
    const span = d.has_text ? highlight([id]) : null;
    if (span) span.scrollIntoView({ block: "center" });
    showAssertions([id], "Assertion");
  }
  document.body.dataset.ready = "1";
})();
