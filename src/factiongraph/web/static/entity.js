/* Entity page: names, family, leaders, relations over time, places, strength, documents. */
"use strict";

(async () => {
  const { h, url, getJSON, groupColour, entityLink } = FG;
  const root = FG.view();
  let e;
  try { e = await getJSON(FG.jsonUrl()); } catch (err) { FG.fail(root, err); return; }

  const section = (title, ...content) => h("section", { class: "block" }, h("h3", {}, title), ...content);
  const none = (what) => h("p", { class: "muted" }, what);

  // time axis for the relation timelines: from the first year with data (or 2013) to now
  const all = e.relations.flatMap((r) => r.periods);
  const years = all.flatMap((p) => [p.from, p.to]).filter(Boolean).map((d) => +d.slice(0, 4));
  const thisYear = new Date().getFullYear();
  const y0 = Math.min(2013, ...years), y1 = Math.max(thisYear, ...years.filter((y) => y < 2200)) + 1;
  const t0 = Date.UTC(y0, 0, 1), t1 = Date.UTC(y1, 0, 1);
  const pos = (d, end) => {
    if (!d) return end ? 100 : 0;
    const t = Date.UTC(+d.slice(0, 4), +d.slice(5, 7) - 1, +d.slice(8, 10) + (end ? 1 : 0));
    return Math.max(0, Math.min(100, (100 * (t - t0)) / (t1 - t0)));
  };
  const ticks = [];
  const step = y1 - y0 > 16 ? 2 : 1;
  for (let y = y0; y < y1; y += step) ticks.push(h("span", { style: { left: pos(`${y}-01-01`) + "%" } }, String(y)));

  // one bar per period; periods that overlap in time go to separate lanes of the row
  function track(r) {
    const lanes = [];
    const bars = r.periods.filter((p) => p.from || p.to).map((p) => {
      const left = pos(p.from, false), right = Math.max(pos(p.to, true), left + 0.4);
      let lane = lanes.findIndex((end) => end <= left);
      if (lane < 0) { lane = lanes.length; lanes.push(right); } else lanes[lane] = right;
      return h("a", {
        href: url("assertion", p.id), class: p.modality,
        title: `${p.direction === "out" ? e.name : r.name} ${p.label} ${p.direction === "out" ? r.name : e.name}\n${p.valid_time} · ${p.modality}${p.claimant ? " · according to " + p.claimant : ""}`,
        style: { left: left + "%", width: right - left + "%", top: 0.15 + lane * 0.6 + "rem", background: groupColour(p.group) },
      });
    });
    return h("div", { class: "tl-track", style: { "--years": y1 - y0, height: Math.max(1.1, 0.3 + lanes.length * 0.6) + "rem" } }, bars);
  }

  const timeline = e.relations.length ? h("div", { class: "timeline", style: { "--years": y1 - y0 } },
    h("div", { class: "tl-axis" }, h("span", { class: "muted" }, "Counterpart"), h("div", { class: "ticks" }, ticks)),
    e.relations.map((r) => h("div", { class: "tl-row", dataset: { counterpart: r.id } },
      h("div", { class: "who" }, h("a", { href: url("relation", { a: e.id, b: r.id }), title: "All assertions between the two" }, r.name),
        h("span", { class: "muted" }, ` (${r.periods.length})`)),
      track(r)))) : none("No relations recorded.");

  const legend = h("div", { class: "chips" }, [...new Set(all.map((p) => p.group))].map((g) =>
    h("span", { class: "chip" }, h("span", { class: "swatch", style: { background: groupColour(g) } }), FG.GROUP_LABELS[g] || g)));

  const people = (rows, empty) => rows.length ? h("table", { class: "data" },
    h("thead", {}, h("tr", {}, h("th", {}, "Person"), h("th", {}, "When"), h("th", {}, "Modality"), h("th", {}, "According to"))),
    h("tbody", {}, rows.map((l) => h("tr", {}, h("td", {}, entityLink(l.person_id, l.person)), h("td", {}, FG.text(l.valid_time, "undated")),
      h("td", {}, h("span", { class: "badge " + l.modality }, l.modality)), h("td", {}, FG.text(l.claimant, "—")))))) : none(empty);

  FG.fill(root, 
    h("h1", { class: "title" }, e.name),
    h("p", { class: "sub" }, [e.kind, e.category ? e.category.replace(/_/g, " ") : null].filter(Boolean).join(" · "),
      e.parent ? h("span", {}, " · part of ", entityLink(e.parent.id, e.parent.name)) : null,
      ` · ${e.counts.assertions} assertions with ${e.counts.counterparts} counterparts`,
      e.kind === "organization" ? [" · ", h("a", { href: url("network", { all: 1, focus: e.id }), id: "on-network" }, "show on the network")] : null),
    e.note ? h("p", {}, e.note) : null,
    h("dl", { class: "kv" },
      h("dt", {}, "Also known as"), h("dd", { id: "aliases" }, e.aliases.length ? h("div", { class: "chips" }, e.aliases.map((a) => h("span", { class: "chip" }, a))) : "—"),
      h("dt", {}, "Factions"), h("dd", { id: "factions" }, e.factions.length ? h("div", { class: "chips" }, e.factions.map((f) => h("span", { class: "chip" }, entityLink(f.id, f.name)))) : "—"),
    ),
    section("Leaders over time", people(e.leaders, "No leaders recorded.")),
    e.members.length ? section("Members", people(e.members, "")) : null,
    section("Relations over time", legend, timeline),
    section("Places", e.places.length ? h("div", { class: "chips" }, e.places.map((p) => h("span", { class: "chip" }, entityLink(p.id, p.name), ` (${p.assertions})`))) : none("No places recorded.")),
    section("Strength", e.strength.length ? h("table", { class: "data", id: "strength" },
      h("thead", {}, h("tr", {}, h("th", {}, "Figure"), h("th", {}, "When"), h("th", {}, "Claimed by"), h("th", {}, "Modality"), h("th", {}, "Source"))),
      h("tbody", {}, e.strength.map((s) => h("tr", {},
        h("td", {}, h("b", {}, String(s.count))), h("td", {}, FG.text(s.valid_time, "undated")), h("td", {}, FG.text(s.claimant, "—")),
        h("td", {}, h("span", { class: "badge " + s.modality }, s.modality)),
        h("td", {}, s.document ? h("a", { href: url("document", s.document.id) + "#a" + s.id }, s.document.title) : "—"))))) : none("No strength figures recorded.")),
    section("Documents", e.documents.length ? h("ul", { id: "documents" }, e.documents.map((d) => h("li", {},
      h("a", { href: url("document", d.id) }, d.title), h("span", { class: "muted" }, ` ${FG.text(d.published)} · ${d.assertions} assertion${d.assertions === 1 ? "" : "s"}${d.has_text ? "" : " · citation only"}`)))) : none("No documents mention it.")),
  );
  document.body.dataset.ready = "1";
})();
