/* The documents in the knowledge base. */
"use strict";

(async () => {
  const { h, url, getJSON } = FG;
  const root = FG.view();
  let r;
  try { r = await getJSON(FG.jsonUrl()); } catch (err) { FG.fail(root, err); return; }
  FG.fill(root, 
    h("h1", { class: "title" }, "Documents"),
    h("p", { class: "sub" }, `${r.documents.length} documents`),
    h("table", { class: "data", id: "documents" },
      h("thead", {}, h("tr", {}, h("th", {}, "Title"), h("th", {}, "Published"), h("th", {}, "Assertions"), h("th", {}, "Text"))),
      h("tbody", {}, r.documents.map((d) => h("tr", {},
        h("td", {}, h("a", { href: url("document", d.id) }, d.title)), h("td", {}, FG.text(d.published, "—")),
        h("td", {}, String(d.assertions)), h("td", {}, d.chars ? `${d.chars.toLocaleString()} characters` : "citation only"))))),
  );
  document.body.dataset.ready = "1";
})();
