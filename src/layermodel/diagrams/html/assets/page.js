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
  var EDGE_LIMIT = 1500;
  // Maps keyed by model ids, which may be "constructor" or "toString": no prototype.
  function dict() { return Object.create(null); }

  var cards = dict();
  Array.prototype.forEach.call(document.querySelectorAll(".card[data-id]"), function (el) {
    cards[el.getAttribute("data-id")] = el;
  });
  var chips = dict();
  Array.prototype.forEach.call(document.querySelectorAll(".product[data-product]"), function (el) {
    chips[el.getAttribute("data-product")] = el;
  });
  var ids = Object.keys(cards);
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

  function visibleCard(id) {
    return !state.filter || data.nodes[id].products.indexOf(state.filter) >= 0;
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
    body.classList.toggle("active", active);
    var upProducts = dict();
    if (sel) {
      data.products.forEach(function (p) {
        if (p.uses.some(function (u) { return u === sel || up[u]; })) upProducts[p.id] = true;
      });
    }
    ids.forEach(function (id) {
      var el = cards[id], n = data.nodes[id];
      var match = matches(id, n.label, q);
      var related = (sel === id) || !!down[id] || !!up[id];
      el.classList.toggle("hidden", !visibleCard(id));
      el.classList.toggle("selected", sel === id);
      el.classList.toggle("downstream", !!down[id] && sel !== id);
      el.classList.toggle("upstream", !!up[id] && sel !== id);
      el.classList.toggle("match", match);
      var dim = (sel || state.product) ? !related : (q ? !match : false);
      el.classList.toggle("dim", dim);
    });
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
    });
    Array.prototype.forEach.call(document.querySelectorAll(".group[data-group]"), function (box) {
      box.classList.toggle("hidden", !box.querySelector(".card:not(.hidden)"));
    });
    var shown = 0;
    Array.prototype.forEach.call(document.querySelectorAll(".band[data-band]"), function (band) {
      var any = band.querySelector(".card:not(.hidden), .product:not(.hidden)");
      band.classList.toggle("hidden", !any);
      var isProducts = band.classList.contains("products-row");
      var n = band.querySelectorAll(isProducts ? ".product:not(.hidden)" : ".card:not(.hidden)")
        .length;
      if (!isProducts) shown += n;
      countText(band.querySelector(".band-count"), n, isProducts);
    });
    if (note) {
      note.hidden = !state.filter;
      note.textContent = state.filter ? "Filtered to " + productById[state.filter].label +
        ": " + shown + " of " + ids.length + " component" + (ids.length === 1 ? "" : "s") +
        " shown" : "";
    }
    state.down = down; state.up = up;
    showDetails();
    draw();
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
    var sel = state.selected, down = state.down || dict(), up = state.up || dict();
    if (sel) {
      var hi = !e.uses && (((e.s === sel || down[e.s]) && down[e.t]) ||
                           (up[e.s] && (e.t === sel || up[e.t])));
      if (e.uses && (e.t === sel || up[e.t])) hi = true;
      c.push(hi ? "hi" : "dim");
    } else if (state.product) {
      var on = e.uses ? e.s === state.product : (down[e.s] && down[e.t]);
      c.push(on ? "hi" : "dim");
    } else if (state.query.trim()) {
      c.push("dim");
    }
    return c;
  }

  function marker(cls) {
    if (cls.indexOf("dim") >= 0) return "dim";
    if (cls.indexOf("violation") >= 0) return "violation";
    if (cls.indexOf("hi") >= 0) return "hi";
    if (!body.classList.contains("active") && cls.indexOf("hit") >= 0) return "hit";
    if (cls.indexOf("uses") >= 0) return "uses";
    return "normal";
  }

  function draw() {
    while (layer.firstChild) layer.removeChild(layer.firstChild);
    var box = diagram.getBoundingClientRect();
    svg.setAttribute("width", String(diagram.scrollWidth));
    svg.setAttribute("height", String(diagram.scrollHeight));
    var rects = dict();
    function rect(id, isProduct) {
      var key = (isProduct ? "p:" : "c:") + id;
      if (!(key in rects)) {
        var el = isProduct ? chips[id] : cards[id];
        if (!el || el.classList.contains("hidden")) { rects[key] = null; }
        else {
          var r = el.getBoundingClientRect();
          rects[key] = {l: r.left - box.left, r: r.right - box.left,
                        t: r.top - box.top, b: r.bottom - box.top,
                        cx: (r.left + r.right) / 2 - box.left};
        }
      }
      return rects[key];
    }
    var many = edges.length > EDGE_LIMIT;
    var drawn = [];
    edges.forEach(function (e) {
      var a = rect(e.s, e.uses), b = rect(e.t, false);
      if (!a || !b) return;
      var cls = edgeClass(e);
      if (many && cls.indexOf("hi") < 0) return;
      var dir = b.t >= a.b - 2 ? "down" : (b.b <= a.t + 2 ? "up" : "side");
      drawn.push({e: e, a: a, b: b, cls: cls, dir: dir});
    });
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
      slot((d.e.uses ? "p:" : "c:") + d.e.s + ":" + sSide, d, "sx", d.b.cx);
      slot("c:" + d.e.t + ":" + tSide, d, "tx", d.a.cx);
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
          "Click the background or press Esc to reset.";
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

  ids.forEach(function (id) {
    var el = cards[id];
    el.addEventListener("click", function (ev) {
      ev.stopPropagation();
      select(state.selected === id ? null : id);
    });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        select(state.selected === id ? null : id);
      }
    });
    el.addEventListener("mouseenter", function () { touch(id, true); });
    el.addEventListener("mouseleave", function () { touch(id, false); });
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
    if (ev.target.closest && ev.target.closest(".card, .product")) return;
    if (state.selected || state.product) { state.selected = null; state.product = null; apply(); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") reset();
  });
  document.getElementById("reset").addEventListener("click", function () {
    if (filter) filter.value = "";
    state.filter = "";
    reset();
  });
  if (search) {
    search.addEventListener("input", function () {
      state.query = search.value; state.selected = null; state.product = null; apply();
    });
    search.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        var first = document.querySelector(".card.match:not(.hidden)");
        if (first) {
          first.scrollIntoView({block: "center"});
          state.query = "";
          search.value = "";
          select(first.getAttribute("data-id"));
        }
      }
    });
  }
  if (filter) {
    filter.addEventListener("change", function () {
      state.filter = filter.value;
      if (state.selected && !visibleCard(state.selected)) state.selected = null;
      state.product = null;
      apply();
    });
  }
  var pending = false;
  function redraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; draw(); });
  }
  if (window.ResizeObserver) new ResizeObserver(redraw).observe(diagram);
  window.addEventListener("resize", redraw);
  apply();
  body.setAttribute("data-ready", "true");
})();
