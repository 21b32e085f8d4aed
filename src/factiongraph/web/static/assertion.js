/* One assertion, with links to its relation and its document, and a quick decision. */
"use strict";

(async () => {
  const { h, url, getJSON, postJSON, assertionCard } = FG;
  const root = FG.view();
  let a;
  try { a = await getJSON(FG.jsonUrl()); } catch (err) { FG.fail(root, err); return; }
  const msg = h("p", { role: "status", id: "decision" });
  const decide = async (decision) => {
    try {
      a = await postJSON(url("api", "review", a.id), { decision });
      render();
      FG.fill(msg, `Marked ${a.review_status}.`);
    } catch (err) { msg.className = "error"; FG.fill(msg, "Not saved: " + err.message); }
  };
  function render() {
    FG.fill(root,
      h("h1", { class: "title" }, `Assertion #${a.id}`),
      h("p", { class: "sub" }, `${a.origin}${a.machine ? " (machine)" : " (analyst)"} · confidence ${a.confidence}`),
      assertionCard(a),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "good", dataset: { action: "accept" }, onclick: () => decide("accepted") }, "Accept"),
        h("button", { type: "button", class: "bad", dataset: { action: "reject" }, onclick: () => decide("rejected") }, "Reject"),
        a.review_status === "machine" ? [" ", h("a", { href: url("review") }, "or edit it in the review queue")] : null),
      msg,
      h("p", {}, h("a", { href: url("relation", { a: a.subject_id, b: a.object_id }) }, "Every assertion between the two"),
        a.document ? [" · ", h("a", { href: url("document", a.document.id) + "#a" + a.id }, "the passage in its document")] : null),
    );
  }
  render();
  document.body.dataset.ready = "1";
})();
