/* Relation page: every assertion between two entities, in time order; conflicts side by side. */
"use strict";

(async () => {
  const { h, url, getJSON, entityLink, assertionCard } = FG;
  const root = FG.view();
  let r;
  try { r = await getJSON(FG.jsonUrl()); } catch (err) { FG.fail(root, err); return; }
  const byId = Object.fromEntries(r.assertions.map((a) => [a.id, a]));
  const q = new URLSearchParams(location.search);
  FG.fill(root, 
    h("h1", { class: "title" }, entityLink(r.a.id, r.a.name), " and ", entityLink(r.b.id, r.b.name)),
    h("p", { class: "sub" }, `${r.assertions.length} assertion${r.assertions.length === 1 ? "" : "s"}: `,
      Object.entries(r.predicates).map(([p, n]) => `${p.replace(/_/g, " ")} ${n}`).join(", ") || "none", " · ",
      h("a", { href: url("relation", { a: r.a.id, b: r.b.id, factions: q.get("factions") ? null : 1 }) },
        q.get("factions") ? "without their factions" : "include their factions"), " · ",
      h("a", { href: url("relation", { a: r.a.id, b: r.b.id, include_rejected: q.get("include_rejected") ? null : 1 }) },
        q.get("include_rejected") ? "hide rejected" : "show rejected")),
    r.conflicts.length ? h("section", { id: "conflicts" }, h("h3", {}, `Conflicting assertions (${r.conflicts.length})`),
      r.conflicts.map((c) => h("div", { class: "conflict" }, h("div", { class: "why" }, c.reason),
        h("div", { class: "grid2" }, assertionCard(byId[c.a]), assertionCard(byId[c.b]))))) : null,
    h("section", { id: "assertions" }, h("h3", {}, "In time order"),
      r.assertions.length ? r.assertions.map((a) => assertionCard(a, { anchor: true })) : h("p", { class: "muted" }, "No assertions link these two.")),
  );
  document.body.dataset.ready = "1";
})();
