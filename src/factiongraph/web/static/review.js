/* Review queue: accept, reject or edit machine assertions, from the keyboard or the mouse. */
"use strict";

(() => {
  const { h, url, getJSON, postJSON, assertionCard } = FG;
  const root = FG.view();
  let data = null, facets = null, current = 0, editing = false;

  async function load() {
    try {
      [data, facets] = await Promise.all([getJSON(FG.jsonUrl()), facets || getJSON(url("api", "facets"))]);
    } catch (err) { FG.fail(root, err); return; }
    current = Math.min(current, Math.max(0, data.items.length - 1));
    render();
    document.body.dataset.ready = "1";
  }

  function render() {
    const s = data.status;
    const list = h("div", { id: "queue" }, data.items.length ? data.items.map((a, i) => {
      const card = assertionCard(a);
      card.classList.add("item");
      if (i === current) card.classList.add("focus");
      card.addEventListener("click", (ev) => { if (ev.target.closest("a, button, input, select, form")) return; current = i; editing = false; render(); });
      if (i === current) card.append(actions(a));
      return card;
    }) : h("p", { class: "muted", id: "empty" }, "Nothing waits for review."));
    FG.fill(root, 
      h("h1", { class: "title" }, "Review"),
      h("div", { class: "review-head" },
        h("div", { class: "counts", id: "counts" },
          h("span", {}, h("b", {}, String(data.pending)), " waiting"),
          h("span", { class: "badge accepted" }, `${s.accepted} accepted`),
          h("span", { class: "badge edited" }, `${s.edited} edited`),
          h("span", { class: "badge rejected" }, `${s.rejected} rejected`)),
        h("label", {}, "Document ", h("select", { id: "review-document", onchange: (ev) => {
          location.href = url("review", { document: ev.target.value || null });
        } }, h("option", { value: "" }, "all"), facets.documents.map((d) =>
          h("option", { value: d.id, selected: String(d.id) === new URLSearchParams(location.search).get("document") }, d.title))))),
      h("p", { class: "keys" }, h("kbd", {}, "j"), "/", h("kbd", {}, "k"), " next/previous · ", h("kbd", {}, "a"), " accept · ",
        h("kbd", {}, "r"), " reject · ", h("kbd", {}, "e"), " edit · ", h("kbd", {}, "o"), " open in document"),
      h("div", { class: "review" }, list,
        h("aside", {}, h("h3", {}, "Latest decisions"), h("div", { id: "recent" }, data.recent.length
          ? data.recent.map((a) => assertionCard(a)) : h("p", { class: "muted" }, "No decisions yet.")))),
    );
    const focus = root.querySelector("#queue .focus");
    if (focus) focus.scrollIntoView({ block: "nearest" });
    if (editing) root.querySelector("form.edit select")?.focus();
  }

  function actions(a) {
    const box = h("div", { class: "actions" },
      h("button", { type: "button", class: "good", dataset: { action: "accept" }, onclick: () => decide(a, "accepted") }, "Accept (a)"),
      h("button", { type: "button", class: "bad", dataset: { action: "reject" }, onclick: () => decide(a, "rejected") }, "Reject (r)"),
      h("button", { type: "button", dataset: { action: "edit" }, onclick: () => { editing = !editing; render(); } }, "Edit (e)"));
    if (!editing) return box;
    const form = h("form", { class: "edit" },
      h("label", {}, "Predicate", h("select", { name: "predicate" },
        [...facets.predicates.map((p) => p.value), "leads", "member_of", "operates_in", "killed_by"].map((p) =>
          h("option", { value: p, selected: p === a.predicate }, p.replace(/_/g, " "))))),
      h("label", {}, "When (EDTF)", h("input", { name: "valid_time", value: a.valid_time || "" })),
      h("label", {}, "Modality", h("select", { name: "modality" }, facets.modalities.map((m) => h("option", { value: m, selected: m === a.modality }, m)))),
      h("label", { class: "check" }, h("input", { type: "checkbox", name: "swap" }), " reverse direction"),
      h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "Save edit"), h("button", { type: "button", onclick: () => { editing = false; render(); } }, "Cancel")),
      h("p", { class: "error", id: "edit-error" }));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const f = new FormData(form), changes = {};
      if (f.get("predicate") !== a.predicate) changes.predicate = f.get("predicate");
      if ((f.get("valid_time") || null) !== (a.valid_time || null)) changes.valid_time = f.get("valid_time") || null;
      if (f.get("modality") !== a.modality) changes.modality = f.get("modality");
      if (f.get("swap") === "on") changes.swap = true;
      if (!Object.keys(changes).length) { form.querySelector("#edit-error").textContent = "Change something first, or accept it as it is."; return; }
      decide(a, "edited", changes, form.querySelector("#edit-error"));
    });
    return h("div", {}, box, form);
  }

  async function decide(a, decision, changes, errorBox) {
    try {
      await postJSON(url("api", "review", a.id), changes ? { decision, changes } : { decision });
      editing = false;
      await load();
    } catch (err) {
      if (errorBox) errorBox.textContent = err.message;
      else alert("Not saved: " + err.message);
    }
  }

  document.addEventListener("keydown", (ev) => {
    if (!data || FG.isTyping(ev) || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const a = data.items[current];
    if (ev.key === "j" || ev.key === "ArrowDown") { current = Math.min(data.items.length - 1, current + 1); editing = false; render(); }
    else if (ev.key === "k" || ev.key === "ArrowUp") { current = Math.max(0, current - 1); editing = false; render(); }
    else if (!a) return;
    else if (ev.key === "a") decide(a, "accepted");
    else if (ev.key === "r") decide(a, "rejected");
    else if (ev.key === "e") { editing = true; render(); }
    else if (ev.key === "o" && a.document) location.href = url("document", a.document.id) + "#a" + a.id;
    else return;
    ev.preventDefault();
  });

  load();
})();
