// The wiretrace report: views over the scan data embedded in this file. No network: texts are
// gzip-compressed in the page and decompressed by the browser when a pair is opened.
"use strict";
(() => {
  const RELATIONS = ["exact", "near_duplicate", "contained", "partial", "paraphrase", "translation", "same_story"];
  const LABEL = {
    exact: "exact", near_duplicate: "near duplicate", contained: "contained", partial: "partial",
    paraphrase: "paraphrase", translation: "translation", same_story: "same story",
  };
  const PAGE = 100; // table rows per page
  const GRAPH_NODES = 150; // story members drawn in the provenance graph
  const TIMELINE_STORIES = 400; // largest stories drawn on the timeline
  const PASSAGES_LISTED = 60; // passages of a pair listed above its texts

  const data = JSON.parse(document.getElementById("wt-data").textContent);
  let packedTexts = null; // parsed on the first pair opened
  const texts = new Map(); // id -> decompressed text (the last few)

  // ---------- the data, indexed ----------
  const docs = new Map();
  for (const r of data.docs) {
    docs.set(r[0], {
      id: r[0], outlet: r[1], title: r[2], published: r[3], chars: r[4], group: r[5],
      story: r[6], url: r[7], source: r[8], matched: r[9], language: r[10] || null, matches: [],
    });
  }
  // a corpus in several languages shows each document's (an English-only one needs no column)
  const multilingual = new Set([...docs.values()].map((d) => d.language).filter(Boolean)).size > 1;
  const matches = data.matches.map((r) => ({
    a: r[0], b: r[1], relation: r[2], jaccard: r[3], ca: r[4], cb: r[5], semantic: r[6],
    source: r[7], confidence: r[8], reasons: r[9], series: r[10],
    passages: r[11].map((p) => ({ a0: p[0], a1: p[1], b0: p[2], b1: p[3], kind: p[4], sim: p[5], ca: p[6] || [], cb: p[7] || [] })),
    derivation: r[12] ? { chain: r[12][0], coverage: r[12][1], shared: r[12][2], contradicted: r[12][3], quotes: r[12][4] } : null,
  }));
  const byPair = new Map();
  const rank = (relation) => RELATIONS.indexOf(relation);
  for (const m of matches) {
    byPair.set(m.a + "\u0000" + m.b, m);
    for (const id of [m.a, m.b]) {
      const d = docs.get(id);
      if (d) d.matches.push(m);
    }
  }
  for (const d of docs.values()) {
    d.strongest = d.matches.reduce((best, m) => (best === null || rank(m.relation) < rank(best) ? m.relation : best), null);
  }
  const stories = new Map(data.stories.map((r) => [r[0], {
    story: r[0], title: r[1], first: r[2], last: r[3], members: r[4], entities: r[5], terms: r[6],
    confidence: r[7], places: r[8], when: r[9], counts: r[10],
  }]));
  for (const s of stories.values()) {
    s.outlets = new Set(s.members.map((id) => docs.get(id)?.outlet).filter(Boolean));
  }
  const groups = new Map(data.groups.map((r) => [r[0], { group: r[0], representative: r[1], members: r[2] }]));

  // ---------- small helpers ----------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined) continue;
      if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) if (child) node.append(child);
    return node;
  }
  const fmt = (n) => (n === null || n === undefined ? "–" : Number(n).toLocaleString("en"));
  const score = (n) => (n === null || n === undefined ? "–" : Number(n).toFixed(2));
  const day = (iso) => (iso ? String(iso).slice(0, 10) : "–");
  const encodeId = (id) => encodeURIComponent(id).replace(/~/g, "%7E");
  const pairHref = (a, b) => `#pair/${encodeId(a)}~${encodeId(b)}`;
  const docHref = (id) => `#doc/${encodeId(id)}`;
  const relBadge = (relation) => el("span", { class: `rel rel-${relation}`, text: LABEL[relation] || relation });
  const docLink = (id) => el("a", { href: docHref(id), text: id });
  const view = document.getElementById("view");

  function findMatch(a, b) {
    return byPair.get(a + "\u0000" + b) || byPair.get(b + "\u0000" + a) || null;
  }

  async function textOf(id) {
    if (texts.has(id)) return texts.get(id);
    if (packedTexts === null) packedTexts = JSON.parse(document.getElementById("wt-texts").textContent);
    const packed = packedTexts[id];
    if (packed === undefined) return null;
    const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    const text = await new Response(stream).text();
    texts.set(id, text);
    if (texts.size > 40) texts.delete(texts.keys().next().value);
    return text;
  }

  // A sortable, filterable, paged table. columns: {key, label, value(row), cell(row), num}
  function table(rows, columns, options) {
    const state = { sort: options.sort || columns[0].key, desc: !!options.desc, page: 0, query: "", filter: "" };
    const wrap = el("div");
    const search = el("input", {
      type: "search", placeholder: options.placeholder || "Search", "aria-label": options.placeholder || "Search",
      oninput: () => { state.query = search.value.trim().toLowerCase(); state.page = 0; draw(); },
    });
    const tools = el("div", { class: "toolbar" }, search);
    let select = null;
    if (options.filter) {
      select = el("select", { "aria-label": options.filter.label,
        onchange: () => { state.filter = select.value; state.page = 0; draw(); } },
      el("option", { value: "", text: options.filter.all }),
      options.filter.choices.map(([value, label]) => el("option", { value, text: label })));
      tools.append(select);
    }
    const count = el("span", { class: "muted small", role: "status" });
    tools.append(count);
    const body = el("tbody");
    const heads = columns.map((column) => {
      const button = el("button", { type: "button", text: column.label,
        onclick: () => {
          if (state.sort === column.key) state.desc = !state.desc;
          else { state.sort = column.key; state.desc = !!column.num; }
          draw();
        } });
      return el("th", { scope: "col", class: column.num ? "num" : null, "data-key": column.key }, button);
    });
    const pager = el("div", { class: "pager" });
    wrap.append(tools, el("table", {}, el("thead", {}, el("tr", {}, heads)), body), pager);

    function draw() {
      let shown = rows;
      if (state.query) shown = shown.filter((row) => options.text(row).toLowerCase().includes(state.query));
      if (state.filter) shown = shown.filter((row) => options.filter.keep(row, state.filter));
      const column = columns.find((c) => c.key === state.sort);
      const value = column.value;
      shown = shown.slice().sort((x, y) => {
        const a = value(x), b = value(y);
        if (a === b) return 0;
        if (a === null || a === undefined || a === "") return 1;
        if (b === null || b === undefined || b === "") return -1;
        return (a < b ? -1 : 1) * (state.desc ? -1 : 1);
      });
      for (const th of heads) {
        th.setAttribute("aria-sort", th.dataset.key === state.sort ? (state.desc ? "descending" : "ascending") : "none");
      }
      const pages = Math.max(1, Math.ceil(shown.length / PAGE));
      state.page = Math.min(state.page, pages - 1);
      body.replaceChildren(...shown.slice(state.page * PAGE, (state.page + 1) * PAGE).map((row) =>
        el("tr", {}, columns.map((c) => el("td", { class: c.num ? "num" : c.date ? "date" : null }, c.cell ? c.cell(row) : fmtCell(c.value(row)))))));
      count.textContent = `${fmt(shown.length)} of ${fmt(rows.length)}`;
      pager.replaceChildren(
        el("button", { type: "button", text: "Previous", disabled: state.page === 0,
          onclick: () => { state.page -= 1; draw(); } }),
        el("span", { class: "muted small", text: `page ${state.page + 1} of ${pages}` }),
        el("button", { type: "button", text: "Next", disabled: state.page >= pages - 1,
          onclick: () => { state.page += 1; draw(); } }));
    }
    const fmtCell = (v) => (v === null || v === undefined ? "–" : typeof v === "number" ? fmt(v) : String(v));
    draw();
    return wrap;
  }

  // ---------- views ----------
  function overview() {
    const c = data.counts || {};
    const byRelation = c.matches_by_relation || {};
    const cards = [
      ["documents", c.documents], ["skipped", c.skipped], ["matches", c.matches],
      ["duplicate groups", c.duplicate_groups], ["stories of several", c.stories_with_several],
      ["sources named", c.sources_named],
    ].map(([label, n]) => el("div", { class: "card" }, el("div", { class: "n", text: fmt(n) }), el("div", { class: "muted", text: label })));
    const most = Math.max(1, ...RELATIONS.map((r) => byRelation[r] || 0));
    const bars = el("div", { class: "bars", role: "list" }, RELATIONS.flatMap((r) => [
      relBadge(r),
      el("div", { class: `bar ${r}`, style: `width:${(100 * (byRelation[r] || 0)) / most}%`, role: "presentation" }),
      el("span", { class: "num", text: fmt(byRelation[r] || 0) }),
    ]));
    const notSearched = Object.entries(data.not_searched || {});
    const boiler = Object.entries(c.boilerplate_spans_by_kind || {}).sort((x, y) => y[1] - x[1]);
    const mostBoiler = Math.max(1, ...boiler.map(([, n]) => n));
    const skippedBy = Object.entries(c.skipped_by_reason || {});
    return el("section", {},
      el("h1", { text: "Overview" }),
      el("p", { class: "muted small" }, `Inputs: ${data.inputs.join(", ")} · scanned by wiretrace ${data.version || "?"}` +
        ` · sentence model: ${data.semantic || "off"} · ${fmt(docs.size)} related documents listed, ${fmt(Object.keys(data.boilerplate).length)} with boilerplate shown`),
      el("div", { class: "cards" }, cards),
      el("h2", { text: "Matches by relation" }), bars,
      notSearched.length ? el("p", { class: "muted small" }, "Not searched: ", notSearched.map(([k, v]) => `${k} (${v})`).join("; ")) : null,
      el("h2", { text: "Stories over time" }), timeline(),
      el("h2", { text: "Boilerplate found" }),
      boiler.length ? el("div", { class: "bars" }, boiler.flatMap(([kind, n]) => [
        el("span", { text: kind }), el("div", { class: "bar", style: `width:${(100 * n) / mostBoiler}%` }), el("span", { class: "num", text: fmt(n) }),
      ])) : el("p", { class: "muted", text: "none" }),
      el("p", { class: "muted small", text: `${fmt(c.documents_with_boilerplate)} documents with boilerplate; ${fmt(c.recurring_lines)} recurring lines` }),
      el("h2", { text: "Skipped records" }),
      skippedBy.length ? el("table", {}, el("thead", {}, el("tr", {}, el("th", { text: "reason" }), el("th", { class: "num", text: "records" }))),
        el("tbody", {}, skippedBy.map(([reason, n]) => el("tr", {}, el("td", { text: reason }), el("td", { class: "num", text: fmt(n) }))))) : el("p", { class: "muted", text: "none" }),
      data.skipped.length ? el("details", {}, el("summary", { text: `the skipped records${data.skipped_total > data.skipped.length ? ` (first ${fmt(data.skipped.length)} of ${fmt(data.skipped_total)})` : ""}` }),
        el("table", {}, el("tbody", {}, data.skipped.map((s) => el("tr", {}, el("td", { text: s.source }), el("td", { text: s.reason }), el("td", { class: "small", text: s.detail || "" })))))) : null,
    );
  }

  function timeline() {
    const dated = [...stories.values()].filter((s) => s.first).sort((x, y) => y.members.length - x.members.length).slice(0, TIMELINE_STORIES);
    if (!dated.length) return el("p", { class: "muted", text: "no dated stories of several documents" });
    // a chart of one or two dots, or of stories all of one day, says less than a list
    if (dated.length < 3 || new Set(dated.map((s) => day(s.first))).size < 2) {
      return el("ul", { class: "timeline-list" }, dated.map((s) => el("li", {},
        el("a", { href: `#story/${s.story}`, text: s.title || `story ${s.story}` }),
        ` · ${fmt(s.members.length)} documents · first published ${day(s.first)}`)));
    }
    const width = 900, height = 220, pad = 34;
    const times = dated.map((s) => Date.parse(s.first)).filter((t) => !Number.isNaN(t));
    const t0 = Math.min(...times), t1 = Math.max(...times);
    const most = Math.max(...dated.map((s) => s.members.length));
    const x = (t) => pad + ((t - t0) / Math.max(1, t1 - t0)) * (width - 2 * pad);
    const y = (n) => height - pad - (Math.sqrt(n) / Math.sqrt(most)) * (height - 2 * pad);
    const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, width: "100%", role: "img", "aria-label": `timeline of the ${dated.length} largest stories by first publication and size` },
      svg("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad }),
      svg("text", { x: pad, y: height - 10, text: day(new Date(t0).toISOString()) }),
      svg("text", { x: width - pad, y: height - 10, "text-anchor": "end", text: day(new Date(t1).toISOString()) }),
      svg("text", { x: 4, y: pad - 12, text: `size (largest: ${most})` }),
      dated.map((s) => {
        const t = Date.parse(s.first);
        if (Number.isNaN(t)) return null;
        return svg("a", { href: `#story/${s.story}` },
          svg("circle", { cx: x(t), cy: y(s.members.length), r: 3 + Math.sqrt(s.members.length) },
            svg("title", { text: `${s.title || "story " + s.story} · ${s.members.length} documents · ${day(s.first)}` })));
      }));
    return el("div", { class: "timeline" }, chart);
  }

  // a story's weakest link in words: a story held by a coin toss should not read as sure
  // By the story model's reliability table (README, "Stories"): links at 0.7-0.9 are one
  // event about four times in five, at 0.5-0.7 little more than half the time; a new user's
  // stories that mixed two events held at 0.60-0.76, read "fair" beside the true ones.
  function confidenceText(value) {
    const words = value >= 0.9 ? "high" : value >= 0.75 ? "fair" : "low";
    return `${words} (${value.toFixed(2)})`;
  }

  function storiesView() {
    const rows = [...stories.values()];
    const off = (data.not_searched || {}).same_story;
    if (!rows.length) {
      return el("section", {}, el("h1", { text: "Stories" }), el("p", { class: "muted", text: off
        ? `No stories: ${off}.`
        : "No story holds two documents or more: each document is a story of its own (counted, not listed)." }));
    }
    return el("section", {}, el("h1", { text: `Stories of two documents or more (${fmt(rows.length)})` }),
      table(rows, [
        { key: "story", label: "story", value: (s) => s.story, cell: (s) => el("a", { href: `#story/${s.story}`, text: `#${s.story}` }), num: true },
        { key: "title", label: "title", value: (s) => s.title || "", cell: (s) => el("a", { href: `#story/${s.story}`, text: s.title || "(untitled)" }) },
        { key: "first", label: "first published", value: (s) => s.first || "", cell: (s) => day(s.first), date: true },
        { key: "size", label: "documents", value: (s) => s.members.length, num: true },
        { key: "outlets", label: "outlets", value: (s) => s.outlets.size, num: true },
        { key: "confidence", label: "confidence", value: (s) => s.confidence ?? -1, cell: (s) => (s.confidence === null ? "" : confidenceText(s.confidence)), num: true },
      ], { sort: "size", desc: true, placeholder: "Search titles and outlets", text: (s) => `${s.title || ""} ${[...s.outlets].join(" ")}` }));
  }

  function storyView(id) {
    const s = stories.get(Number(id));
    if (!s) return missing(`story ${id}`);
    const members = s.members.map((m) => docs.get(m)).filter(Boolean);
    const inStory = new Set(s.members);
    const edges = [];
    const seen = new Set();
    for (const d of members) {
      for (const m of d.matches) {
        const key = m.a + "\u0000" + m.b;
        if (!seen.has(key) && inStory.has(m.a) && inStory.has(m.b)) { seen.add(key); edges.push(m); }
      }
    }
    return el("section", {},
      el("p", { class: "muted small" }, el("a", { href: "#stories", text: "Stories" }), ` › story #${s.story}`),
      el("h1", { text: s.title || `Story ${s.story}` }),
      el("p", {}, `${fmt(members.length)} ${members.length === 1 ? "document" : "documents"} from ${s.outlets.size ? fmt(s.outlets.size) : "unknown"} ${s.outlets.size === 1 ? "outlet" : "outlets"}, first published ${day(s.first)}, last ${day(s.last)}.`),
      s.confidence !== null ? el("p", { class: "confidence" }, `Confidence ${confidenceText(s.confidence)}: `,
        el("span", { class: "muted small", text: "the weakest link that holds the story, the story model's chance that the two articles it joins report one event." })) : null,
      s.entities.length || s.terms.length || s.places.length || s.when || s.counts.length ? el("div", {}, el("h2", { text: "What holds it together" }),
        el("p", { class: "muted small", text: "Who, where, when and how many, as two or more members give them; then the names and words these documents share more than the rest of the corpus does." }),
        el("div", { class: "chips" },
          s.places.map((p) => el("span", { class: "chip", text: `where: ${p}` })),
          s.when ? el("span", { class: "chip", text: `when: ${s.when}` }) : null,
          s.counts.map((c) => el("span", { class: "chip", text: c })),
          // a name or word already shown as a place is not shown again
          s.entities.filter((e) => !s.places.includes(e.toLowerCase())).map((e) => el("span", { class: "chip", text: e })),
          s.terms.filter((t) => !s.places.includes(t) && !s.entities.some((e) => e.toLowerCase() === t)).map((t) => el("span", { class: "chip muted", text: t })))) : null,
      el("h2", { text: "Provenance" }), graph(members, edges),
      el("h2", { text: "Members" }), docTable(members),
      el("h2", { text: `Matches inside the story (${fmt(edges.length)})` }), matchTable(edges));
  }

  // A node's second line: what is known of the document (outlet, day), else its title, else
  // the end of an id too long for the first line; never a row of dashes.
  function nodeLine(d) {
    const known = [d.outlet && d.outlet.slice(0, 20), d.published && day(d.published)].filter(Boolean);
    if (known.length) return known.join(" · ");
    if (d.title) return d.title.length > 24 ? d.title.slice(0, 23) + "…" : d.title;
    return d.id.length > 22 ? "…" + d.id.slice(-22) : "no outlet or date";
  }

  // Source → copy arrows between the members, in columns by publication day.
  function graph(members, edges) {
    const order = (d) => `${d.published ? "0" + d.published : "1"}\u0000${d.id}`; // undated last
    const drawn = members.slice().sort((x, y) => (order(x) < order(y) ? -1 : 1)).slice(0, GRAPH_NODES);
    const at = new Map();
    const columns = [];
    for (const d of drawn) {
      const key = day(d.published);
      if (!columns.length || columns[columns.length - 1].key !== key) columns.push({ key, nodes: [] });
      columns[columns.length - 1].nodes.push(d);
    }
    const W = 170, H = 46, GX = 80, GY = 16, PAD = 24;
    columns.forEach((column, i) => column.nodes.forEach((d, j) => at.set(d.id, { x: PAD + i * (W + GX), y: PAD + 18 + j * (H + GY) })));
    const tallest = Math.max(...columns.map((c) => c.nodes.length));
    const width = PAD * 2 + columns.length * (W + GX) - GX + 30 + Math.min(10, tallest) * 18; // room for loops
    const height = PAD * 2 + 18 + tallest * (H + GY);
    const info = el("div", { class: "edgeinfo", role: "status" }, el("span", { class: "muted small", text: "Select an arrow (click, or Tab and Enter) to see why one document is taken for the other's source." }));
    const defs = svg("defs", {}, RELATIONS.map((r) => svg("marker", { id: `arrow-${r}`, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
      svg("path", { d: "M0,0 L10,5 L0,10 z", style: `fill: var(--${r})` }))));
    const lines = edges.filter((m) => at.has(m.a) && at.has(m.b)).sort((x, y) => rank(y.relation) - rank(x.relation)).map((m) => {
      const from = m.source === m.b ? m.b : m.a;
      const to = from === m.a ? m.b : m.a;
      const p = at.get(from), q = at.get(to);
      const forward = q.x >= p.x;
      const x1 = p.x + (forward ? W : 0), y1 = p.y + H / 2, x2 = q.x + (forward ? 0 : W), y2 = q.y + H / 2;
      const bend = p.x === q.x ? 24 + Math.min(10, Math.abs(q.y - p.y) / (H + GY)) * 18 : 0; // same day: loop out right
      const d = bend ? `M${p.x + W},${y1} C${p.x + W + bend},${y1} ${q.x + W + bend},${y2} ${q.x + W},${y2}` : `M${x1},${y1} C${(x1 + x2) / 2},${y1} ${(x1 + x2) / 2},${y2} ${x2},${y2}`;
      const label = m.source ? `${m.source} → ${to} · ${LABEL[m.relation]} · confidence ${score(m.confidence)}` : `${m.a} — ${m.b} · ${LABEL[m.relation]} · no source named`;
      const show = () => {
        for (const other of chart.querySelectorAll(".edge.on")) other.classList.remove("on");
        path.classList.add("on");
        info.replaceChildren(el("div", {}, relBadge(m.relation), " ", el("strong", { text: m.source ? `${m.source} → ${to}` : `${m.a} — ${m.b}` }),
          m.source ? ` (confidence ${score(m.confidence)})` : " (no source named)", " · ", el("a", { href: pairHref(m.a, m.b), text: "open the pair" })),
        m.reasons.length ? el("ul", { class: "reasons" }, m.reasons.map((r) => el("li", { text: r }))) : null);
      };
      const path = svg("path", { d, class: `edge ${m.relation}`, tabindex: "0", role: "button", "aria-label": label,
        "data-a": m.a, "data-b": m.b, "data-source": m.source || "", "marker-end": m.source ? `url(#arrow-${m.relation})` : null,
        onclick: show, onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); show(); } } },
      svg("title", { text: `${label}${m.reasons.length ? "\n" + m.reasons.join("\n") : ""}` }));
      return path;
    });
    const nodes = drawn.map((d) => {
      const p = at.get(d.id);
      return svg("a", { href: docHref(d.id), class: "node", "data-id": d.id },
        svg("rect", { x: p.x, y: p.y, width: W, height: H, rx: 5 }),
        svg("text", { x: p.x + 8, y: p.y + 19, text: d.id.length > 22 ? d.id.slice(0, 21) + "…" : d.id }),
        svg("text", { x: p.x + 8, y: p.y + 36, class: "sub", text: nodeLine(d) }),
        svg("title", { text: `${d.id}\n${d.title || ""}\n${d.outlet || ""} ${day(d.published)}` }));
    });
    const heads = columns.map((column, i) => svg("text", { x: PAD + i * (W + GX), y: PAD, class: "sub", style: "fill: var(--muted); font-size: 12px", text: column.key }));
    const chart = svg("svg", { width, height, role: "group", "aria-label": "provenance graph: arrows from source to copy" }, defs, heads, lines, nodes);
    const legend = el("div", { class: "legend" }, RELATIONS.map((r) => relBadge(r)), el("span", { class: "muted small", text: "arrow: source → copy; line without arrow: no source named" }));
    return el("div", {}, legend,
      members.length > drawn.length ? el("p", { class: "muted small", text: `The first ${GRAPH_NODES} of ${members.length} members by publication are drawn.` }) : null,
      el("div", { class: "graph" }, chart), info);
  }

  function docTable(rows) {
    return table(rows, [
      { key: "id", label: "id", value: (d) => d.id, cell: (d) => docLink(d.id) },
      { key: "title", label: "title", value: (d) => d.title || "" },
      { key: "outlet", label: "outlet", value: (d) => d.outlet || "" },
      multilingual ? { key: "language", label: "language", value: (d) => d.language || "" } : null,
      { key: "published", label: "published", value: (d) => d.published || "", cell: (d) => day(d.published), date: true },
      { key: "matches", label: "matches", value: (d) => d.matches.length, num: true },
      { key: "relation", label: "strongest", value: (d) => (d.strongest ? rank(d.strongest) : null), cell: (d) => (d.strongest ? relBadge(d.strongest) : "–") },
      { key: "group", label: "group", value: (d) => d.group, cell: (d) => (d.group === null ? "–" : el("a", { href: `#groups/${d.group}`, text: `#${d.group}` })), num: true },
      { key: "story", label: "story", value: (d) => d.story, cell: (d) => (stories.has(d.story) ? el("a", { href: `#story/${d.story}`, text: `#${d.story}` }) : "–"), num: true },
    ].filter(Boolean), {
      sort: "published", placeholder: "Search id, title or outlet", text: (d) => `${d.id} ${d.title || ""} ${d.outlet || ""}`,
      filter: { label: "Relation", all: "any relation", choices: RELATIONS.map((r) => [r, LABEL[r]]), keep: (d, r) => d.matches.some((m) => m.relation === r) },
    });
  }

  function matchTable(rows) {
    return table(rows, [
      { key: "pair", label: "pair", value: (m) => `${m.a} ${m.b}`, cell: (m) => el("a", { href: pairHref(m.a, m.b), text: `${m.a} ~ ${m.b}` }) },
      { key: "relation", label: "relation", value: (m) => rank(m.relation), cell: (m) => relBadge(m.relation) },
      { key: "source", label: "source", value: (m) => m.source || "" },
      { key: "confidence", label: "confidence", value: (m) => m.confidence, cell: (m) => score(m.confidence), num: true },
      { key: "jaccard", label: "jaccard", value: (m) => m.jaccard, cell: (m) => score(m.jaccard), num: true },
      { key: "semantic", label: "semantic", value: (m) => m.semantic, cell: (m) => score(m.semantic), num: true },
      { key: "passages", label: "passages", value: (m) => m.passages.length, num: true },
    ], {
      sort: "relation", placeholder: "Search ids", text: (m) => `${m.a} ${m.b} ${m.source || ""}`,
      filter: { label: "Relation", all: "any relation", choices: RELATIONS.map((r) => [r, LABEL[r]]), keep: (m, r) => m.relation === r },
    });
  }

  function documentsView() {
    const hidden = (data.counts.documents || 0) - docs.size;
    return el("section", {}, el("h1", { text: "Documents" }),
      el("p", { class: "muted small", text: `${fmt(docs.size)} documents with a match, a duplicate group or a story of several${hidden > 0 ? `; ${fmt(hidden)} others are related to none and not listed` : ""}.` }),
      docTable([...docs.values()]));
  }

  function docView(id) {
    const d = docs.get(id);
    if (!d) return missing(`document ${id}`);
    return el("section", {},
      el("p", { class: "muted small" }, el("a", { href: "#documents", text: "Documents" }), ` › ${id}`),
      el("h1", { text: d.title || d.id }),
      el("dl", { class: "pairhead" },
        el("dt", { text: "id" }), el("dd", { text: d.id }),
        el("dt", { text: "outlet" }), el("dd", { text: d.outlet || "–" }),
        el("dt", { text: "published" }), el("dd", { text: d.published || "–" }),
        el("dt", { text: "url" }), el("dd", {}, d.url ? d.url : "–"),
        el("dt", { text: "read from" }), el("dd", { text: d.source || "–" }),
        el("dt", { text: "characters" }), el("dd", { text: fmt(d.chars) }),
        el("dt", { text: "duplicate group" }), el("dd", {}, d.group === null ? "–" : el("a", { href: `#groups/${d.group}`, text: `#${d.group}` })),
        el("dt", { text: "story" }), el("dd", {}, stories.has(d.story) ? el("a", { href: `#story/${d.story}`, text: `#${d.story} ${stories.get(d.story).title || ""}` }) : "–")),
      el("h2", { text: `Matches (${fmt(d.matches.length)})` }), matchTable(d.matches));
  }

  function groupsView() {
    const rows = [...groups.values()];
    return el("section", {}, el("h1", { text: `Duplicate groups (${fmt(rows.length)})` }),
      el("p", { class: "muted small", text: "Copies of one article (exact, near duplicate, contained). wiretrace dedup keeps each group's representative." }),
      table(rows, [
        { key: "group", label: "group", value: (g) => g.group, cell: (g) => el("a", { href: `#groups/${g.group}`, text: `#${g.group}` }), num: true },
        { key: "representative", label: "representative", value: (g) => g.representative, cell: (g) => docLink(g.representative) },
        { key: "size", label: "members", value: (g) => g.members.length, num: true },
        { key: "outlets", label: "outlets", value: (g) => new Set(g.members.map((id) => docs.get(id)?.outlet).filter(Boolean)).size, num: true },
      ], { sort: "size", desc: true, placeholder: "Search member ids", text: (g) => `#${g.group} ${g.members.join(" ")}` }));
  }

  function groupView(id) {
    const g = groups.get(Number(id));
    if (!g) return missing(`duplicate group ${id}`);
    const members = g.members.map((m) => docs.get(m)).filter(Boolean);
    const inGroup = new Set(g.members);
    const inside = matches.filter((m) => inGroup.has(m.a) && inGroup.has(m.b));
    return el("section", {},
      el("p", { class: "muted small" }, el("a", { href: "#groups", text: "Groups" }), ` › group #${g.group}`),
      el("h1", { text: `Duplicate group #${g.group}: ${fmt(members.length)} copies` }),
      el("p", {}, "Representative: ", docLink(g.representative)),
      el("h2", { text: "Provenance" }), graph(members, inside),
      el("h2", { text: "Members" }), docTable(members),
      el("h2", { text: `Matches inside the group (${fmt(inside.length)})` }), matchTable(inside));
  }

  function missing(what) {
    return el("section", {}, el("h1", { text: "Not found" }), el("p", { class: "error", text: `This report holds no ${what}.` }),
      el("p", { class: "muted", text: "It lists the documents that have a match, a duplicate group or a story of several members, and the stories of two documents or more; the others are counted on the overview, not listed." }),
      el("p", {}, el("a", { href: "#overview", text: "Back to the overview" })));
  }

  // A sentence pair of a match that is no rewrite (two reports of one story, a pair that
  // shares a passage) is said alike, not rewritten: only a `paraphrase` proves a rewrite.
  function shownKind(kind, relation) {
    return kind === "paraphrase" && relation !== "paraphrase" ? "alike" : kind;
  }

  // "2 verbatim, 3 rewritten sentence pairs" (translated and alike ones named as such)
  function passageCounts(passages, relation) {
    const count = (kind) => passages.filter((p) => p.kind === kind).length;
    const rewritten = passages.length - count("verbatim") - count("translation");
    const said = relation === "paraphrase" ? "rewritten" : "alike";
    const parts = [`${count("verbatim")} verbatim`, `${rewritten} ${said} sentence pairs`];
    if (count("translation")) parts.push(`${count("translation")} translated sentence pairs`);
    return parts.join(", ");
  }

  // What a passage is, in the page's words: short (a chip) and whole (a label).
  function kindName(kind, whole) {
    if (kind === "verbatim") return whole ? "verbatim passage" : "verbatim";
    if (kind === "translation") return whole ? "translated sentence" : "translated";
    if (kind === "alike") return whole ? "sentence said alike" : "alike";
    return whole ? "rewritten sentence" : "rewritten";
  }

  // The two texts side by side; verbatim passages and rewritten sentences highlighted.
  function pairView(a, b) {
    const m = findMatch(a, b);
    if (!m) return missing(`match between ${a} and ${b}`);
    const copy = m.source ? (m.source === m.a ? m.b : m.a) : null;
    const why = whyOf(m);
    const head = el("div", { class: "pairhead" },
      el("div", {}, relBadge(m.relation), " ", el("strong", {}, docLink(m.a), " ~ ", docLink(m.b)), m.series ? el("span", { class: "muted small", text: ` · series (${m.series})` }) : null),
      el("dl", {},
        el("dt", { text: "source" }), el("dd", { class: "source" }, m.source ? [el("strong", { text: `${m.source} → ${copy}` }), ` (confidence ${score(m.confidence)})`] : "not named"),
        why.length ? [el("dt", { text: "why" }), el("dd", {}, el("ul", { class: "reasons" }, why.map((r) => el("li", { text: r }))))] : null,
        el("dt", { text: "scores" }), el("dd", { text: `Jaccard ${score(m.jaccard)} · containment ${score(m.ca)} (left), ${score(m.cb)} (right) · semantic ${score(m.semantic)}` }),
        m.derivation && m.derivation.chain > 0 ? [el("dt", { text: "derivation" }), el("dd", { class: "derivation", text: derivationText(m.derivation) })] : null,
        el("dt", { text: "passages" }), el("dd", {},
          passageCounts(m.passages, m.relation),
          el("div", { class: "chips passages" }, m.passages.slice(0, PASSAGES_LISTED).map((p, i) => el("button", {
            type: "button", class: `chip psg-chip ${p.kind === "verbatim" ? "verbatim" : "paraphrase"}`, "data-p": i,
            "aria-label": `show ${kindName(shownKind(p.kind, m.relation), true)} ${i + 1} on both sides`,
            onclick: () => showPassage(i),
          }, `${i + 1} · ${kindName(shownKind(p.kind, m.relation), false)} ${score(p.sim)}`)),
          m.passages.length > PASSAGES_LISTED ? el("span", { class: "muted small", text: `… ${m.passages.length - PASSAGES_LISTED} more in the texts` }) : null))));
    const legend = el("div", { class: "legend" },
      el("mark", { class: "psg verbatim swatch", text: "verbatim passage" }),
      el("mark", { class: "psg paraphrase swatch", text: m.relation === "paraphrase" ? "rewritten sentence" : m.relation === "translation" ? "translated sentence" : "sentence said alike (no rewrite proved)" }),
      el("mark", { class: "psg changed swatch", text: "words not in its partner" }),
      el("span", { class: "bp swatch" }, el("span", { class: "bp-label", text: "kind" }), "boilerplate (not compared)"),
      el("span", { class: "muted small", text: "Select a highlight (click, or Tab and Enter) to scroll to its partner." }));
    // dir auto: an Arabic or Hebrew text reads right to left, each pane as its own text says
    const left = el("div", { class: "text", id: "side-a", dir: "auto", "aria-label": `text of ${m.a}` }, el("span", { class: "muted", text: "Loading…" }));
    const right = el("div", { class: "text", id: "side-b", dir: "auto", "aria-label": `text of ${m.b}` }, el("span", { class: "muted", text: "Loading…" }));
    const side = (id, box) => { const d = docs.get(id); return el("div", { class: "side" }, el("h2", {}, docLink(id), d && d.outlet ? ` · ${d.outlet}` : "", d && multilingual && d.language ? ` · ${d.language}` : "", d ? ` · ${day(d.published)}` : "", d && d.title ? el("div", { class: "muted small", text: d.title }) : null), box); };
    const section = el("section", {}, head, legend, el("div", { class: "sides" }, side(m.a, left), side(m.b, right)));
    Promise.all([textOf(m.a), textOf(m.b)]).then(([ta, tb]) => {
      if (ta === null || tb === null) {
        left.replaceChildren(el("p", { class: "error", text: "This report holds no text for this pair." }));
        right.replaceChildren();
        return;
      }
      fill(left, ta, m.passages.map((p, i) => ({ start: p.a0, end: p.a1, kind: shownKind(p.kind, m.relation), sim: p.sim, changed: p.ca, i })), data.boilerplate[m.a] || [], "a");
      fill(right, tb, m.passages.map((p, i) => ({ start: p.b0, end: p.b1, kind: shownKind(p.kind, m.relation), sim: p.sim, changed: p.cb, i })), data.boilerplate[m.b] || [], "b");
      left.dir = direction(ta);
      right.dir = direction(tb);
      document.documentElement.dataset.pairReady = `${m.a}~${m.b}`;
    }).catch((error) => {
      left.replaceChildren(el("p", { class: "error", text: `Could not read the texts: ${error}` }));
    });
    return section;
  }

  // A text's direction by most of its letters, not its first one ("auto" read an Arabic
  // page's Latin "navigation" label first and set the whole text left to right).
  function direction(text) {
    const rtl = (text.match(/[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/g) || []).length;
    const letters = (text.match(/\p{L}/gu) || []).length;
    return rtl * 2 > letters ? "rtl" : "ltr";
  }

  // Why a pair is a match: its provenance reasons; a pair of one story has none (no text of
  // one is in the other), so it says what joins it instead.
  function whyOf(m) {
    if (m.reasons.length || m.relation !== "same_story") return m.reasons;
    const sa = docs.get(m.a)?.story, sb = docs.get(m.b)?.story;
    const together = sa !== null && sa !== undefined && sa === sb
      ? `; both are in story ${sa}, whose page lists the names, places and dates they share`
      : "";
    return [`no text of one is in the other: their texts tell alike (semantic ${score(m.semantic)})${together}`];
  }

  // The sentences' evidence that one text was written from the other (matches.derivation).
  // Quotes are counted inside the chained sentences only, so "0 quotes" would contradict a
  // pair whose shared passage is a quote in sentences that do not chain: said only when some.
  function derivationText(d) {
    const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many}`;
    const quotes = d.quotes > 0 ? ` · ${plural(d.quotes, "quote", "quotes")} carried over in them` : "";
    return `ordered chain of ${plural(d.chain, "sentence", "sentences")} covering ${Math.round(d.coverage * 100)}% of the shorter text · ` +
      `${plural(d.shared, "fact", "facts")} shared, ${fmt(d.contradicted)} contradicted` + quotes;
  }

  // Render ``text`` (offsets in code points, as Python counts them) with passage marks and
  // boilerplate spans. A passage cut by a boilerplate span becomes several marks with one index.
  // The words a passage does not share with its partner (``changed``: flat start, end pairs)
  // are marks of their own, classed ``changed``.
  function fill(box, text, passages, boilerplate, side) {
    const chars = Array.from(text);
    const cuts = new Set([0, chars.length]);
    for (const p of passages) {
      cuts.add(p.start); cuts.add(p.end);
      for (const c of p.changed) cuts.add(c);
    }
    for (const [s, e] of boilerplate) { cuts.add(s); cuts.add(e); }
    const points = [...cuts].filter((c) => c >= 0 && c <= chars.length).sort((x, y) => x - y);
    const labelled = new Set();
    const first = new Set();
    const out = [];
    for (let k = 0; k + 1 < points.length; k++) {
      const s = points[k], e = points[k + 1];
      const piece = chars.slice(s, e).join("");
      const bp = boilerplate.find(([bs, be]) => bs <= s && e <= be);
      // passages may overlap (a sentence used twice): a piece carries every passage it is in
      const inside = passages.filter((q) => q.start <= s && e <= q.end);
      let node = document.createTextNode(piece);
      if (inside.length) {
        const leads = inside.filter((q) => !first.has(q.i));
        for (const q of leads) first.add(q.i);
        const kinds = new Set(inside.map((q) => (q.kind === "verbatim" ? "verbatim" : "paraphrase")));
        const name = (q) => `${kindName(q.kind, true)} ${q.i + 1}, similarity ${score(q.sim)}`;
        // page noise inside a passage is not compared (it is blanked): no edit either
        const changed = !bp && inside.some((q) => {
          for (let c = 0; c + 1 < q.changed.length; c += 2) if (q.changed[c] <= s && e <= q.changed[c + 1]) return true;
          return false;
        });
        node = el("mark", {
          class: `psg ${[...kinds].join(" ")}${changed ? " changed" : ""}${bp ? " bp" : ""}`,
          "data-p": inside.map((q) => q.i).join(" "), "data-side": side,
          "data-n": leads.length ? leads.map((q) => q.i + 1).join(",") : null,
          tabindex: leads.length ? "0" : null, role: leads.length ? "button" : null,
          "aria-label": leads.length ? `${leads.map(name).join("; ")}: go to its partner` : null,
          title: inside.map(name).join("\n") + (changed ? "\nwords not in its partner" : ""),
        }, piece);
      } else if (bp) {
        node = el("span", { class: "bp", "data-kind": bp[2] }, piece);
      }
      if (bp && !labelled.has(bp)) {
        labelled.add(bp);
        out.push(el("span", { class: "bp-label", "aria-label": `boilerplate: ${bp[2]}`, text: bp[2] }));
      }
      out.push(node);
    }
    box.replaceChildren(...out);
  }

  function showPassage(index) {
    const marks = [...view.querySelectorAll(`mark[data-p~="${index}"]`)];
    for (const side of ["a", "b"]) {
      const first = marks.find((m) => m.dataset.side === side);
      if (first) first.scrollIntoView({ block: "center", behavior: "smooth" });
    }
    for (const m of marks) m.classList.add("flash");
    setTimeout(() => { for (const m of marks) m.classList.remove("flash"); }, 1200);
  }

  function partner(mark) {
    const other = mark.dataset.side === "a" ? "b" : "a";
    const index = (mark.dataset.n ? String(Number(mark.dataset.n.split(",")[0]) - 1) : mark.dataset.p.split(" ")[0]);
    const target = view.querySelector(`mark[data-side="${other}"][data-p~="${index}"]`);
    if (!target) return;
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    const both = view.querySelectorAll(`mark[data-p~="${index}"]`);
    for (const m of both) m.classList.add("flash");
    setTimeout(() => { for (const m of both) m.classList.remove("flash"); }, 1200);
  }
  view.addEventListener("click", (event) => {
    const mark = event.target.closest && event.target.closest("mark.psg[data-side]");
    if (mark) partner(mark);
  });
  view.addEventListener("keydown", (event) => {
    const mark = event.target.closest && event.target.closest("mark.psg[data-side]");
    if (mark && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); partner(mark); }
  });

  // ---------- routing: every view has its own fragment ----------
  function render() {
    const hash = location.hash.replace(/^#/, "") || "overview";
    const slash = hash.indexOf("/");
    const name = slash < 0 ? hash : hash.slice(0, slash);
    const arg = slash < 0 ? "" : hash.slice(slash + 1);
    let content;
    try {
      if (name === "stories") content = storiesView();
      else if (name === "story") content = storyView(decodeURIComponent(arg));
      else if (name === "documents") content = documentsView();
      else if (name === "doc") content = docView(decodeURIComponent(arg));
      else if (name === "groups") content = arg ? groupView(decodeURIComponent(arg)) : groupsView();
      else if (name === "pair") {
        const [a, b] = arg.split("~").map(decodeURIComponent);
        content = pairView(a, b || "");
      } else content = overview();
    } catch (error) {
      content = el("p", { class: "error", text: `This view failed: ${error}` });
    }
    view.replaceChildren(content);
    const current = { story: "stories", doc: "documents", pair: null }[name] ?? name;
    for (const link of document.querySelectorAll("[data-nav]")) {
      if (link.dataset.nav === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    // a pair view has no h1: named by its two documents, so that two tabs can be told apart
    const heading = view.querySelector("h1") || view.querySelector(".pairhead strong");
    document.title = `${heading ? heading.textContent : "wiretrace"} · wiretrace report`;
    window.scrollTo(0, 0);
    document.documentElement.dataset.view = name;
  }

  // ---------- theme: the reader's setting, or the button's ----------
  const themeButton = document.getElementById("theme");
  function setTheme(dark) {
    document.documentElement.dataset.theme = dark ? "dark" : "light";
    themeButton.textContent = dark ? "Light" : "Dark";
    themeButton.setAttribute("aria-pressed", dark ? "true" : "false");
  }
  let stored = null;
  try { stored = localStorage.getItem("wiretrace-theme"); } catch (_) { /* storage may be off for files */ }
  setTheme(stored ? stored === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches);
  themeButton.addEventListener("click", () => {
    const dark = document.documentElement.dataset.theme !== "dark";
    setTheme(dark);
    try { localStorage.setItem("wiretrace-theme", dark ? "dark" : "light"); } catch (_) { /* ignore */ }
  });

  document.querySelector(".skip").addEventListener("click", (event) => {
    event.preventDefault(); // not a route: it moves the focus to the view
    view.focus();
  });
  window.addEventListener("hashchange", render);
  render();
  document.documentElement.dataset.ready = "1";
})();
