/* Search results for a name or alias. */
"use strict";

(async () => {
  const { h, url, getJSON } = FG;
  const root = FG.view();
  let r;
  try { r = await getJSON(FG.jsonUrl()); } catch (err) { FG.fail(root, err); return; }
  document.getElementById("search").value = r.q;
  FG.fill(root, 
    h("h1", { class: "title" }, r.q ? `Names matching “${r.q}”` : "Search"),
    r.results.length ? h("ul", { id: "results" }, r.results.map((e) => h("li", {},
      h("a", { href: url("entity", e.id) }, e.name),
      h("span", { class: "muted" }, " " + [e.matched ? "also “" + e.matched + "”" : null, e.category || e.kind, e.parent ? "of " + e.parent : null].filter(Boolean).join(" · ")))))
      : h("p", { class: "muted" }, r.q ? "Nothing is known by that name." : "Type a name in the box above."),
  );
  document.body.dataset.ready = "1";
})();
