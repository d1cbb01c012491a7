(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("scene-data").textContent);
  var body = document.body;
  var diagram = document.getElementById("diagram");
  var svg = document.getElementById("edges");
  var layer = document.getElementById("edge-layer");
  var details = document.getElementById("details");
  var search = document.getElementById("search");
  var filter = document.getElementById("product-filter");
  var note = document.getElementById("filter-note");
  var SVGNS = "http://www.w3.org/2000/svg";
  // Past EDGE_LIMIT dependencies in the view, only the selection's are drawn, and at
  // most EDGE_BUDGET of them at a time: the ones nearest the part of the page in view
  // (redrawn as it scrolls). Past OPEN_BUDGET cards, the page opens with its group
  // boxes collapsed, but for those that fit in that many cards.
  var EDGE_LIMIT = 1500;
  var EDGE_BUDGET = 1500;
  var OPEN_BUDGET = 1000;
  var CROWD = 150;
  // Maps keyed by model ids, which may be "constructor" or "toString": no prototype.
  function dict() { return Object.create(null); }

  // The cards by id, and their ids in the page's order (Object.keys would put ids
  // that look like numbers first).
  var cards = dict(), ids = [];
  Array.prototype.forEach.call(document.querySelectorAll(".card[data-id]"), function (el) {
    var id = el.getAttribute("data-id");
    if (!cards[id]) ids.push(id);
    cards[id] = el;
  });
  var chips = dict();
  Array.prototype.forEach.call(document.querySelectorAll(".product[data-product]"), function (el) {
    chips[el.getAttribute("data-product")] = el;
  });
  var large = ids.length > OPEN_BUDGET || data.edges.length > EDGE_LIMIT;
  body.classList.toggle("large", large);
  // A card's classes are its own (kind, sourcing, emphasis) plus its state; the state
  // is set only on the cards whose state changes, so a click costs the size of what
  // it changes, not of the page.
  var base = dict(), extra = dict(), shown = dict();
  var emphasised = dict();
  ids.forEach(function (id) {
    base[id] = cards[id].className; extra[id] = ""; shown[id] = true;
    emphasised[id] = / emph-/.test(" " + base[id]);
  });
  function setState(id, cls) {
    if (extra[id] === cls) return;
    extra[id] = cls;
    cards[id].className = cls ? base[id] + " " + cls : base[id];
  }

  // Group boxes: each card's chain of boxes, outermost first, and which are collapsed.
  var groupEls = Array.prototype.slice.call(document.querySelectorAll(".group[data-group]"));
  var collapsed = groupEls.map(function () { return false; });
  var groupIndex = new Map();
  groupEls.forEach(function (g, k) { groupIndex.set(g, k); });
  function chainOf(el) {
    var chain = [], g = el.parentElement && el.parentElement.closest(".group[data-group]");
    while (g) {
      chain.unshift(groupIndex.get(g));
      g = g.parentElement && g.parentElement.closest(".group[data-group]");
    }
    return chain;
  }
  var chains = dict();
  ids.forEach(function (id) { chains[id] = chainOf(cards[id]); });
  var groupChains = groupEls.map(chainOf);
  var sizes = groupEls.map(function (g) { return Number(g.getAttribute("data-size")); });
  var hits = groupEls.map(function (g) { return g.querySelector(":scope > .group-hits"); });
  var out = dict(), into = dict();
  ids.forEach(function (id) { out[id] = []; into[id] = []; });
  var edges = data.edges.map(function (e) {
    var edge = {s: e[0], t: e[1], required: !!e[2], violation: e[3], emphasis: e[4],
                change: e[5], uses: false};
    if (out[edge.s] && into[edge.t]) { out[edge.s].push(edge.t); into[edge.t].push(edge.s); }
    return edge;
  });
  data.products.forEach(function (p) {
    p.uses.forEach(function (cid) {
      edges.push({s: p.id, t: cid, required: true, violation: null, emphasis: p.emphasis,
                  uses: true});
    });
  });
  var productById = dict();
  data.products.forEach(function (p) { productById[p.id] = p; });

  function closure(start, next) {
    var seen = dict(), stack = start.slice();
    while (stack.length) {
      var id = stack.pop();
      (next[id] || []).forEach(function (n) { if (!seen[n]) { seen[n] = true; stack.push(n); } });
    }
    return seen;
  }

  var state = {selected: null, product: null, filter: "", query: ""};

  function matches(id, label, q) {
    return !!q && (id.toLowerCase().indexOf(q) >= 0 || label.toLowerCase().indexOf(q) >= 0);
  }

  function curve(x0, y0, x1, y1, x2, y2, x3, y3) {
    return "M" + x0 + " " + y0 + " C" + x1 + " " + y1 + " " + x2 + " " + y2 + " " + x3 + " " + y3;
  }

  // Which cards the product filter shows.
  function filterCards() {
    ids.forEach(function (id) {
      shown[id] = !state.filter || data.nodes[id].products.indexOf(state.filter) >= 0;
    });
  }

  function apply() {
    var sel = null, down = dict(), up = dict();
    if (state.selected) {
      sel = state.selected;
      down = closure([sel], out);
      up = closure([sel], into);
      delete down[sel]; delete up[sel];
    } else if (state.product) {
      var uses = productById[state.product].uses;
      down = closure(uses, out);
      uses.forEach(function (u) { down[u] = true; });
    }
    var q = state.query.trim().toLowerCase();
    var active = !!(state.selected || state.product || q);
    var upProducts = dict();
    if (sel) {
      data.products.forEach(function (p) {
        if (p.uses.some(function (u) { return u === sel || up[u]; })) upProducts[p.id] = true;
      });
    }
    var focusing = !!(sel || state.product);
    var todo = [], lit = groupEls.map(function () { return 0; }), holds = -1;
    ids.forEach(function (id) {
      var n = data.nodes[id], c = [];
      var match = matches(id, n.label, q);
      if (!shown[id]) c.push("hidden");
      if (sel === id) c.push("selected");
      if (down[id] && sel !== id) c.push("downstream");
      if (up[id] && sel !== id) c.push("upstream");
      if (match) c.push("match");
      var related = (sel === id) || !!down[id] || !!up[id];
      if (focusing ? !related : (q ? !match : false)) c.push("dim");
      if (!active && emphasised[id]) c.push("rest");
      var cls = c.join(" ");
      want[id] = cls;
      if (extra[id] !== cls) todo.push(id);
      // What a collapsed box holds of the selection, the highlighted and the found.
      if ((related || match) && shown[id] && chains[id].length) {
        var k = closedBox(chains[id]);
        if (k >= 0) {
          if (sel === id) holds = k;
          else if (focusing ? related : match) lit[k] += 1;
        }
      }
    });
    // A new filter changes the layout anyway: every card takes its state at once.
    restyle(todo, state.filter !== boxesFilter);
    body.classList.toggle("active", active);
    Object.keys(chips).forEach(function (pid) {
      var el = chips[pid], p = productById[pid];
      var match = matches(pid, p.label, q);
      el.classList.toggle("hidden", !!state.filter && state.filter !== pid);
      el.classList.toggle("selected", state.product === pid);
      el.classList.toggle("upstream", !!upProducts[pid]);
      el.classList.toggle("match", match);
      var dim = sel ? !upProducts[pid]
        : (state.product ? state.product !== pid : (q ? !match : false));
      el.classList.toggle("dim", dim);
      el.classList.toggle("rest", !active);
    });
    if (state.filter !== boxesFilter) { boxesFilter = state.filter; showBoxes(); }
    state.down = down; state.up = up;
    markGroups(lit, holds, focusing, !!q);
    showDetails();
    draw();
  }

  // On a large page, the cards near the view take their new state at once and the
  // rest in chunks, a frame each: a click costs the part of the page in view. Every
  // card is measured before any changes, so that the page is laid out once.
  var want = dict(), queue = [], AT_ONCE = 1500, CHUNK = 600;
  function restyle(todo, all) {
    if (!large || all || todo.length <= AT_ONCE) {
      todo.forEach(function (id) { setState(id, want[id]); });
      queue = [];
      return;
    }
    var around = viewAround(ensureRects(), 0.5);
    var now = [], later = [];
    todo.forEach(function (id) {
      // A card in a collapsed box waits too: opening the box restyles what it shows.
      var r = shown[id] && closedBox(chains[id]) < 0 ? measure("c:" + id, cards[id]) : null;
      (r && near(r, around) ? now : later).push(id);
    });
    now.forEach(function (id) { setState(id, want[id]); });
    var first = !queue.length;
    queue = later;
    if (queue.length && first) {
      // From the frame after the one that shows the click.
      body.setAttribute("data-settled", "false");
      requestAnimationFrame(function () { requestAnimationFrame(flush); });
    }
  }
  function flush() {
    queue.splice(0, CHUNK).forEach(function (id) { setState(id, want[id]); });
    if (queue.length) requestAnimationFrame(flush);
    else body.setAttribute("data-settled", "true");
  }

  // Which groups, bands and counts show: they change only with the product filter.
  var boxesFilter = null;
  function showBoxes() {
    rects = null;
    groupEls.forEach(function (box) {
      box.classList.toggle("hidden", !box.querySelector(".card:not(.hidden)"));
    });
    var total = 0;
    Array.prototype.forEach.call(document.querySelectorAll(".band[data-band]"), function (band) {
      var any = band.querySelector(".card:not(.hidden), .product:not(.hidden)");
      band.classList.toggle("hidden", !any);
      var isProducts = band.classList.contains("products-row");
      var n = band.querySelectorAll(isProducts ? ".product:not(.hidden)" : ".card:not(.hidden)")
        .length;
      if (!isProducts) total += n;
      countText(band.querySelector(".band-count"), n, isProducts);
    });
    if (note) {
      note.hidden = !state.filter;
      note.textContent = state.filter ? "Filtered to " + productById[state.filter].label +
        ": " + total + " of " + ids.length + " component" + (ids.length === 1 ? "" : "s") +
        " shown" : "";
    }
  }

  // The outermost collapsed box a card is in, or -1 when the card is on show.
  function closedBox(chain) {
    for (var k = 0; k < chain.length; k++) if (collapsed[chain[k]]) return chain[k];
    return -1;
  }

  // A collapsed box tells how many of its cards are highlighted (or found) and holds
  // the selection's outline when the selected card is inside it.
  function markGroups(lit, holds, focusing, searching) {
    groupEls.forEach(function (box, k) {
      var badge = hits[k], n = lit[k];
      var text = n ? n.toLocaleString() + (focusing ? " highlighted" : " found") : "";
      if (badge && badge.textContent !== text) { badge.textContent = text; badge.hidden = !n; }
      box.classList.toggle("holds-selected", holds === k);
      box.classList.toggle("dim", collapsed[k] && (focusing || searching) && !n && holds !== k);
    });
  }

  function setCollapsed(k, on) {
    collapsed[k] = on;
    groupEls[k].classList.toggle("collapsed", on);
    var button = groupEls[k].querySelector(":scope > .group-toggle");
    if (button) button.setAttribute("aria-expanded", on ? "false" : "true");
    rects = null;
  }

  // Opens the boxes a card is in, so that it can be seen.
  function reveal(id) {
    chains[id].forEach(function (k) { if (collapsed[k]) setCollapsed(k, false); });
  }

  // Every count on the page follows the product filter.
  function countText(el, n, isProducts) {
    if (!el) return;
    var total = Number(el.getAttribute("data-total"));
    var of = state.filter ? n + " of " + total : String(total);
    el.textContent = isProducts ? of + " shown"
      : of + " component" + (total === 1 ? "" : "s");
  }

  function edgeClass(e) {
    var c = ["edge"];
    if (e.uses) c.push("uses");
    if (!e.required) c.push("optional");
    if (e.violation) c.push("violation");
    if (e.change) c.push("lm-" + e.change);
    if (data.focus && !e.uses) c.push(e.emphasis === "hit" ? "hit" : "faded");
    if (data.focus && e.uses && e.emphasis === "faded") c.push("faded");
    if (data.focus && !body.classList.contains("active")) c.push("rest");
    if (state.selected || state.product) {
      c.push(lights(e) ? "hi" : "dim");
    } else if (state.query.trim()) {
      c.push("dim");
    }
    return c;
  }

  // Whether an edge lies inside the selection's closures (or the product's footprint).
  var NONE = dict();
  function lights(e) {
    var sel = state.selected, down = state.down || NONE, up = state.up || NONE;
    if (sel) {
      if (e.uses) return e.t === sel || !!up[e.t];
      return !!(((e.s === sel || down[e.s]) && down[e.t]) || (up[e.s] && (e.t === sel || up[e.t])));
    }
    if (state.product) return e.uses ? e.s === state.product : !!(down[e.s] && down[e.t]);
    return false;
  }

  function marker(cls) {
    if (cls.indexOf("dim") >= 0) return "dim";
    if (cls.indexOf("violation") >= 0) return "violation";
    if (cls.indexOf("hi") >= 0) return "hi";
    if (!body.classList.contains("active") && cls.indexOf("hit") >= 0) return "hit";
    if (cls.indexOf("uses") >= 0) return "uses";
    return "normal";
  }

  // Where each drawn thing is, relative to the diagram: measured once, then kept until
  // the layout changes (a resize, the filter, a box opened or closed). The state
  // classes change outlines and opacity only, never the layout.
  var rects = null;
  function measure(key, el) {
    if (!(key in rects)) {
      if (!el || el.classList.contains("hidden")) { rects[key] = null; }
      else {
        var r = el.getBoundingClientRect(), box = rects[""];
        rects[key] = {l: r.left - box.left, r: r.right - box.left,
                      t: r.top - box.top, b: r.bottom - box.top,
                      cx: (r.left + r.right) / 2 - box.left};
      }
    }
    return rects[key];
  }
  // An edge's end: the card, or the collapsed box it is in (whose edges merge).
  function end(id, isProduct) {
    if (isProduct) return {key: "p:" + id, r: measure("p:" + id, chips[id])};
    if (!shown[id]) return {key: "c:" + id, r: null};
    var k = closedBox(chains[id]);
    if (k >= 0) return {key: "g:" + k, r: measure("g:" + k, groupEls[k])};
    return {key: "c:" + id, r: measure("c:" + id, cards[id])};
  }

  // The region the edges were last drawn for, in diagram coordinates (large pages).
  var drawnView = null;
  function viewNow(box) {
    return {l: -box.left, r: window.innerWidth - box.left,
            t: -box.top, b: window.innerHeight - box.top};
  }
  function near(r, v) { return r.r >= v.l && r.l <= v.r && r.b >= v.t && r.t <= v.b; }

  // The diagram's box, now (it moves as the page scrolls), and the rects kept so far.
  function ensureRects() {
    if (!rects) {
      rects = dict();
      svg.setAttribute("width", String(diagram.scrollWidth));
      svg.setAttribute("height", String(diagram.scrollHeight));
    }
    rects[""] = diagram.getBoundingClientRect();
    return rects[""];
  }
  // The part of the page in view, and around it: half its width either side, and
  // its height (or the given share of it) above and below.
  function viewAround(box, share) {
    var view = viewNow(box), w = view.r - view.l, h = (view.b - view.t) * (share || 1);
    return {l: view.l - w / 2, r: view.r + w / 2, t: view.t - h, b: view.b + h};
  }

  function draw() {
    layer.textContent = "";
    var around = viewAround(ensureRects());
    var many = edges.length > EDGE_LIMIT;
    var sel = state.selected, product = state.product;
    var drawn = [], seen = dict();
    edges.forEach(function (e) {
      if (many && !lights(e)) return;
      var a = end(e.s, e.uses), b = end(e.t, false);
      if (!a.r || !b.r || a.key === b.key) return;
      var cls = edgeClass(e), hi = cls.indexOf("hi") >= 0;
      var rank = 0;
      if (many) {
        // The selection's own edges first, then those with both ends near the view,
        // then those with one; none with both ends far from it.
        var direct = e.s === sel || e.t === sel || (e.uses && e.s === product);
        var nearA = near(a.r, around), nearB = near(b.r, around);
        rank = direct ? 0 : (nearA && nearB ? 1 : (nearA || nearB ? 2 : 3));
      }
      var pair = a.key + "\u0000" + b.key;
      var before = seen[pair];
      if (before) {
        // Parallel edges into or out of a collapsed box are drawn once; the one drawn
        // stands for the others: a highlighted one, the nearest to the view.
        if ((hi && before.cls.indexOf("hi") < 0) || rank < before.rank) {
          before.cls = cls; before.e = e; before.rank = rank;
        }
        return;
      }
      var dir = b.r.t >= a.r.b - 2 ? "down" : (b.r.b <= a.r.t + 2 ? "up" : "side");
      seen[pair] = {e: e, a: a.r, b: b.r, sk: a.key, tk: b.key, cls: cls, dir: dir, rank: rank};
      drawn.push(seen[pair]);
    });
    var lit = drawn.length;
    if (many) {
      drawn = drawn.filter(function (d) { return d.rank < 3; });
      drawn.sort(function (x, y) { return x.rank - y.rank; });
      if (drawn.length > EDGE_BUDGET) drawn.length = EDGE_BUDGET;
      drawnView = (sel || product) ? around : null;
    }
    edgeNote(many, lit, drawn.length);
    // On a large page, many edges at once are drawn thinner and lighter, so that the
    // cards under them still read.
    layer.classList.toggle("crowd", many && drawn.length > CROWD);
    // Spread the ends of the edges along each card's side, ordered by where they go.
    var slots = dict();
    function slot(key, item, end, other) {
      (slots[key] = slots[key] || []).push({item: item, end: end, other: other});
    }
    drawn.forEach(function (d) {
      if (d.dir === "side") {
        // Same row: from the facing sides, arched over what lies between.
        var right = d.b.cx >= d.a.cx;
        d.sx = right ? d.a.r : d.a.l; d.tx = right ? d.b.l : d.b.r;
        d.sy = (d.a.t + d.a.b) / 2; d.ty = (d.b.t + d.b.b) / 2;
        return;
      }
      var sSide = d.dir === "up" ? "t" : "b", tSide = d.dir === "down" ? "t" : "b";
      slot(d.sk + ":" + sSide, d, "sx", d.b.cx);
      slot(d.tk + ":" + tSide, d, "tx", d.a.cx);
      d.sy = sSide === "t" ? d.a.t : d.a.b;
      d.ty = tSide === "t" ? d.b.t : d.b.b;
    });
    Object.keys(slots).forEach(function (key) {
      var list = slots[key];
      list.sort(function (x, y) { return x.other - y.other; });
      var r = list[0].end === "sx" ? list[0].item.a : list[0].item.b;
      var w = (r.r - r.l) * 0.7, left = (r.l + r.r) / 2 - w / 2;
      list.forEach(function (s, i) { s.item[s.end] = left + w * (i + 1) / (list.length + 1); });
    });
    var frag = document.createDocumentFragment();
    drawn.forEach(function (d) {
      var sx = d.sx, sy = d.sy, tx = d.tx, ty = d.ty, path;
      if (d.dir === "side") {
        var gap = Math.abs(tx - sx), lift = gap > 40 ? Math.min(70, 18 + gap / 5) : 0;
        var third = (tx - sx) / 3;
        path = curve(sx, sy, sx + third, sy - lift, tx - third, ty - lift, tx, ty);
      } else {
        var k = Math.max(24, Math.abs(ty - sy) * 0.45) * (d.dir === "down" ? 1 : -1);
        path = curve(sx, sy, sx, sy + k, tx, ty - k, tx, ty);
      }
      var p = document.createElementNS(SVGNS, "path");
      p.setAttribute("d", path);
      p.setAttribute("class", d.cls.join(" "));
      p.setAttribute("data-source", d.e.s);
      p.setAttribute("data-target", d.e.t);
      p.setAttribute("marker-end", "url(#arrow-" + marker(d.cls) + ")");
      frag.appendChild(p);
    });
    layer.appendChild(frag);
  }

  // On a large page, a line under the details says which dependencies are drawn.
  function edgeNote(many, lit, count) {
    var el = details.querySelector(".edge-note");
    if (!many) { if (el) el.remove(); return; }
    if (!el) { el = document.createElement("p"); el.className = "note edge-note"; details.appendChild(el); }
    var all = data.edges.length.toLocaleString();
    var text;
    if (!state.selected && !state.product) {
      text = "This view has " + all + " dependencies: they are drawn for the selected " +
        "component or product.";
    } else if (count < lit) {
      text = "Drawn: " + count.toLocaleString() + " of the " + lit.toLocaleString() +
        " highlighted dependencies, the selection's own and those nearest the part of " +
        "the page in view. Scroll to draw others.";
    } else {
      text = "Drawn: all " + lit.toLocaleString() + " highlighted dependencies.";
    }
    if (el.textContent !== text) el.textContent = text;
  }

  function addRow(dl, term, value) {
    if (value === null || value === undefined || value === "") return;
    var dt = document.createElement("dt"); dt.textContent = term;
    var dd = document.createElement("dd"); dd.textContent = value;
    dl.appendChild(dt); dl.appendChild(dd);
  }

  function count(obj) { return Object.keys(obj).length; }

  function para(cls, text) {
    var p = document.createElement("p");
    p.className = cls;
    p.textContent = text;
    details.appendChild(p);
  }

  function showDetails() {
    while (details.firstChild) details.removeChild(details.firstChild);
    var h = document.createElement("h2"); h.textContent = "Details"; details.appendChild(h);
    var id = state.selected;
    if (!id) {
      var hint = document.createElement("p"); hint.className = "hint";
      if (state.product) {
        hint.textContent = productById[state.product].label + ": " + count(state.down) +
          " components in its footprint. Click the background or press Esc to reset.";
      } else {
        hint.textContent = "Click a component to see what it depends on and what depends on it. " +
          "Click the background or press Esc to reset." +
          (groupEls.length ? " Click a group's name to collapse or open it." : "");
      }
      details.appendChild(hint);
      return;
    }
    var n = data.nodes[id];
    para("title", n.label);
    para("ident", id);
    var dl = document.createElement("dl");
    addRow(dl, "Layer", n.layerLabel);
    addRow(dl, "Products", n.products.map(function (p) {
      return productById[p] ? productById[p].label : p;
    }).join(", ") || "none");
    addRow(dl, "Owner", n.owner || "—");
    addRow(dl, "Sourcing", n.sourcingLabel + (n.vendor ? " (" + n.vendor + ")" : ""));
    if (n.lifecycle !== "production") addRow(dl, "Lifecycle", n.lifecycle);
    if (n.tags.length) addRow(dl, "Tags", n.tags.join(", "));
    addRow(dl, "Depends on", out[id].length + " directly, " + count(state.down) + " in all");
    addRow(dl, "Used by", into[id].length + " directly, " + count(state.up) + " in all");
    details.appendChild(dl);
    if (n.description) {
      para("desc", n.description);
    }
  }

  function select(id) {
    state.selected = id; state.product = null; apply();
  }
  function reset() {
    state.selected = null; state.product = null; state.query = "";
    if (search) search.value = "";
    apply();
  }

  // One listener each for every card and box, on the diagram.
  function cardOf(target) {
    var el = target.closest && target.closest(".card[data-id]");
    return el && el.getAttribute("data-id");
  }
  function toggleOf(target) {
    var el = target.closest && target.closest(".group-toggle");
    return el ? groupIndex.get(el.parentElement) : undefined;
  }
  diagram.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" && ev.key !== " ") return;
    var id = cardOf(ev.target);
    if (id === null || id === undefined) return;
    ev.preventDefault();
    select(state.selected === id ? null : id);
  });
  diagram.addEventListener("mouseover", function (ev) {
    var id = cardOf(ev.target);
    if (id && !(ev.relatedTarget && cardOf(ev.relatedTarget) === id)) touch(id, true);
  });
  diagram.addEventListener("mouseout", function (ev) {
    var id = cardOf(ev.target);
    if (id && !(ev.relatedTarget && cardOf(ev.relatedTarget) === id)) touch(id, false);
  });
  Object.keys(chips).forEach(function (pid) {
    var el = chips[pid];
    function pick(ev) {
      ev.stopPropagation();
      state.selected = null;
      state.product = state.product === pid ? null : pid;
      apply();
    }
    el.addEventListener("click", pick);
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); pick(ev); }
    });
  });

  function touch(id, on) {
    Array.prototype.forEach.call(layer.childNodes, function (p) {
      if (p.getAttribute("data-source") === id || p.getAttribute("data-target") === id) {
        p.classList.toggle("touch", on);
      }
    });
  }

  diagram.addEventListener("click", function (ev) {
    var k = toggleOf(ev.target);
    if (k !== undefined) { setCollapsed(k, !collapsed[k]); apply(); return; }
    var id = cardOf(ev.target);
    if (id) { select(state.selected === id ? null : id); return; }
    if (ev.target.closest && ev.target.closest(".product")) return;
    if (state.selected || state.product) { state.selected = null; state.product = null; apply(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") reset();
  });
  document.getElementById("reset").addEventListener("click", function () {
    if (filter) filter.value = "";
    state.filter = "";
    filterCards();
    reset();
  });
  if (search) {
    search.addEventListener("input", function () {
      state.query = search.value; state.selected = null; state.product = null; apply();
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        // The first match in the page's order, from the state (on a large page, cards
        // out of view may not show theirs yet).
        var first = ids.filter(function (id) {
          return shown[id] && (" " + want[id] + " ").indexOf(" match ") >= 0;
        })[0];
        if (first) {
          state.query = "";
          search.value = "";
          reveal(first);
          select(first);
          cards[first].scrollIntoView({block: "center"});
        }
      }
    });
  }
  if (filter) {
    filter.addEventListener("change", function () {
      state.filter = filter.value;
      filterCards();
      if (state.selected && !shown[state.selected]) state.selected = null;
      state.product = null;
      apply();
    });
  }
  var pending = false;
  function redraw() {
    rects = null;
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  }
  if (window.ResizeObserver) new ResizeObserver(redraw).observe(diagram);
  window.addEventListener("resize", redraw);
  // A large page draws the edges near the view: scrolling far enough draws them anew.
  var scrolling = false;
  window.addEventListener("scroll", function () {
    if (!drawnView || scrolling) return;
    scrolling = true;
    requestAnimationFrame(function () {
      scrolling = false;
      if (!drawnView) return;
      var v = viewNow(diagram.getBoundingClientRect());
      var mx = (v.r - v.l) / 4, my = (v.b - v.t) / 2;
      if (v.l < drawnView.l + mx || v.r > drawnView.r - mx ||
          v.t < drawnView.t + my || v.b > drawnView.b - my) draw();
    });
  }, {passive: true});

  // A large page opens with its boxes collapsed but for those that fit, in order, in
  // its share of OPEN_BUDGET cards (a box too big opens to show its subgroups when its
  // own cards fit); a collapsed box's subgroups are planned the same way, for when it
  // is opened. Returns what is left of the budget.
  function plan(list, left) {
    list.forEach(function (k) {
      if (sizes[k] <= left) { left -= sizes[k]; return; }
      var own = sizes[k] - childGroups[k].reduce(function (sum, c) { return sum + sizes[c]; }, 0);
      // Too big to open whole: open it to show its subgroups when its own cards fit.
      if (own <= left && childGroups[k].length) { left = plan(childGroups[k], left - own); return; }
      setCollapsed(k, true);
      plan(childGroups[k], OPEN_BUDGET - own);
    });
    return left;
  }
  var childGroups = groupEls.map(function () { return []; }), topGroups = [];
  groupEls.forEach(function (g, k) {
    var chain = groupChains[k];
    (chain.length ? childGroups[chain[chain.length - 1]] : topGroups).push(k);
  });
  if (ids.length > OPEN_BUDGET) {
    // Shared out between the layers, by their size, so that each shows some cards.
    Array.prototype.forEach.call(document.querySelectorAll(".band[data-band]"), function (band) {
      var total = band.querySelectorAll(".card[data-id]").length;
      var loose = band.querySelectorAll(".cards > .card[data-id]").length;
      var share = Math.max(40, Math.round(OPEN_BUDGET * total / ids.length));
      plan(topGroups.filter(function (k) { return band.contains(groupEls[k]); }), share - loose);
    });
    if (typeof data.focus === "string" && cards[data.focus]) reveal(data.focus);
  }
  filterCards();
  apply();
  if (!queue.length) body.setAttribute("data-settled", "true");
  body.setAttribute("data-ready", "true");
})();
