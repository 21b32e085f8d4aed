/* One assertion, with links to its relation and its document. */
"use strict";

(async () => {
  const { h, url, getJSON, assertionCard } = FG;
  const root = FG.view();
  let a;
  try { a = await getJSON(FG.jsonUrl()); } catch (err) { FG.fail(root, err); return; }
  FG.fill(root, 
    h("h1", { class: "title" }, `Assertion #${a.id}`),
    h("p", { class: "sub" }, `${a.origin}${a.machine ? " (machine)" : " (analyst)"} · confidence ${a.confidence}`),
    assertionCard(a),
    h("p", {}, h("a", { href: url("relation", { a: a.subject_id, b: a.object_id }) }, "Every assertion between the two"),
      a.document ? [" · ", h("a", { href: url("document", a.document.id) + "#a" + a.id }, "the passage in its document")] : null,
      a.review_status === "machine" ? [" · ", h("a", { href: url("review") }, "review queue")] : null),
  );
  document.body.dataset.ready = "1";
})();
