// Explore (layermodel site): every component in its layer band and group box, drawn
// from explore-data.js. The layout comes precomputed; a box's cards are made only
// when the box is opened, and boxes start open only while the page holds fewer than
// BUDGET cards, so a portfolio of 10,000 components paints at once. Clicking a card
// highlights what it depends on and what depends on it (directly: bold and with a
// line; transitively: ringed), counting the hits inside closed boxes. Text is
// written only through textContent.
(function () {
  "use strict";

  var BUDGET = 900;
  var OPEN_AT_MOST = 250;
  // Cards the boxes being opened may still draw: the first drawing spends BUDGET
  // (shared out between the layers), and each box a reader opens may open its small
  // subgroups within OPEN_AT_MOST.
  var budget = BUDGET;
  var data = window.LAYERMODEL_EXPLORE;
  var canvas = document.getElementById("explore-canvas");
  var panel = document.getElementById("explore-panel");
  if (!data || !canvas || !panel) {
    return;
  }
  var root = document.body.getAttribute("data-root") || "";
  var n = data.ids.length;
  var succ = data.succ;
  var pred = [];
  var i;
  for (i = 0; i < n; i++) {
    pred.push([]);
  }
  for (i = 0; i < n; i++) {
    for (var k = 0; k < succ[i].length; k++) {
      pred[succ[i][k]].push(i);
    }
  }
  var cardOf = new Array(n);
  var boxEls = new Array(data.boxes.length);
  var hitEls = new Array(data.boxes.length);
  var drawn = new Array(data.boxes.length);
  var lit = null;
  var litBoxes = [];
  var selected = -1;
  var edges = null;
  var NS = "http://www.w3.org/2000/svg";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function size(b) {
    var box = data.boxes[b];
    var total = box.members.length;
    for (var j = 0; j < box.children.length; j++) {
      total += size(box.children[j]);
    }
    box.total = total;
    return total;
  }

  // The cards of one box (and the closed boxes of its children), made on first open.
  function fillBox(b) {
    if (drawn[b]) {
      return;
    }
    drawn[b] = true;
    var box = data.boxes[b];
    var holder = boxEls[b];
    for (var j = 0; j < box.children.length; j++) {
      var child = box.children[j];
      holder.appendChild(makeBox(child, opens(child)));
    }
    if (box.members.length) {
      var row = el("div", "cards-row");
      for (var m = 0; m < box.members.length; m++) {
        var c = box.members[m];
        var card = el("button", "card-c r" + data.shade[c], data.labels[c]);
        card.type = "button";
        card.setAttribute("data-i", String(c));
        card.title = data.labels[c] + " (" + data.ids[c] + "): used by " + data.reuse[c] + " of " + data.products + " products";
        if (lit) {
          markCard(card, c);
        }
        cardOf[c] = card;
        row.appendChild(card);
      }
      holder.appendChild(row);
    }
  }

  // Whether a box starts open: when its own cards fit in what is left to draw (a box
  // of subgroups only opens to show them, closed unless they fit too).
  function opens(b) {
    var own = data.boxes[b].members.length;
    if (own > budget || own > OPEN_AT_MOST) {
      return false;
    }
    budget -= own;
    return true;
  }

  function makeBox(b, open) {
    var box = data.boxes[b];
    var details = el("details", "box");
    var summary = el("summary");
    summary.appendChild(document.createTextNode(box.name + " "));
    summary.appendChild(el("span", "count", box.total.toLocaleString() + (box.total === 1 ? " component" : " components")));
    var hits = el("span", "hits");
    hitEls[b] = hits;
    summary.appendChild(hits);
    details.appendChild(summary);
    boxEls[b] = details;
    details.addEventListener("toggle", function () {
      if (details.open && !drawn[b]) {
        budget = OPEN_AT_MOST;
        fillBox(b);
      }
      drawEdges();
    });
    if (open) {
      details.open = true;
      fillBox(b);
    }
    return details;
  }

  function draw() {
    while (canvas.firstChild) {
      canvas.removeChild(canvas.firstChild);
    }
    var legend = el("div", "legend");
    [[4, "all products"], [3, "half or more"], [2, "fewer than half"], [1, "one product"], [0, "no product"]].forEach(function (step) {
      var item = el("span");
      item.appendChild(el("span", "swatch r" + step[0]));
      item.appendChild(document.createTextNode(step[1]));
      legend.appendChild(item);
    });
    var down = el("span");
    down.appendChild(el("span", "swatch down"));
    down.appendChild(document.createTextNode("what it depends on"));
    var up = el("span");
    up.appendChild(el("span", "swatch up"));
    up.appendChild(document.createTextNode("what depends on it"));
    legend.appendChild(down);
    legend.appendChild(up);
    canvas.appendChild(legend);
    data.boxes.forEach(function (box, b) {
      if (box.parent < 0) {
        size(b);
      }
    });
    data.layers.forEach(function (layer) {
      var band = el("section", "band");
      band.style.background = layer.fill;
      band.style.borderColor = layer.border;
      var head = el("h2");
      var a = el("a", "", layer.label);
      a.href = root + layer.page;
      head.appendChild(a);
      band.appendChild(head);
      budget = Math.floor(BUDGET / data.layers.length);
      layer.boxes.forEach(function (b) {
        band.appendChild(makeBox(b, opens(b)));
      });
      canvas.appendChild(band);
    });
    edges = document.createElementNS(NS, "svg");
    edges.setAttribute("id", "explore-edges");
    canvas.appendChild(edges);
    budget = 0;
  }

  function markCard(card, c) {
    var cls = lit && lit[c];
    if (cls) {
      card.className = card.className.replace(/ (sel|down|up|near)/g, "") + cls;
    }
  }

  function clear() {
    for (var j = 0; j < litBoxes.length; j++) {
      hitEls[litBoxes[j]].textContent = "";
    }
    litBoxes = [];
    var cards = canvas.querySelectorAll("button.card-c.sel, button.card-c.down, button.card-c.up");
    for (var m = 0; m < cards.length; m++) {
      cards[m].className = cards[m].className.replace(/ (sel|down|up|near)/g, "");
    }
    lit = null;
    canvas.className = "";
  }

  function walk(start, next) {
    var seen = {};
    var order = [];
    var stack = [start];
    seen[start] = true;
    while (stack.length) {
      var u = stack.pop();
      var out = next[u];
      for (var j = 0; j < out.length; j++) {
        var v = out[j];
        if (!seen[v]) {
          seen[v] = true;
          order.push(v);
          stack.push(v);
        }
      }
    }
    return order;
  }

  function select(c, scroll) {
    clear();
    selected = c;
    if (c < 0) {
      drawEdges();
      return;
    }
    var below = walk(c, succ);
    var above = walk(c, pred);
    lit = {};
    var j;
    for (j = 0; j < below.length; j++) {
      lit[below[j]] = " down";
    }
    for (j = 0; j < above.length; j++) {
      lit[above[j]] = " up";
    }
    for (j = 0; j < succ[c].length; j++) {
      lit[succ[c][j]] = " down near";
    }
    for (j = 0; j < pred[c].length; j++) {
      lit[pred[c][j]] = " up near";
    }
    lit[c] = " sel";
    canvas.className = "lit";
    var counts = {};
    var touched = below.concat(above, [c]);
    for (j = 0; j < touched.length; j++) {
      var t = touched[j];
      if (cardOf[t]) {
        markCard(cardOf[t], t);
      }
      for (var b = data.box[t]; b >= 0; b = data.boxes[b].parent) {
        counts[b] = (counts[b] || 0) + 1;
      }
    }
    Object.keys(counts).forEach(function (key) {
      var b = Number(key);
      hitEls[b].textContent = String(counts[b]);
      litBoxes.push(b);
    });
    showPanel(c, below.length, above.length);
    if (scroll) {
      reveal(c);
    }
    // The lines need the layout: drawn after the highlight has been painted.
    window.setTimeout(drawEdges, 0);
  }

  function reveal(c) {
    var chain = [];
    for (var b = data.box[c]; b >= 0; b = data.boxes[b].parent) {
      chain.unshift(b);
    }
    chain.forEach(function (b) {
      if (boxEls[b] && !boxEls[b].open) {
        boxEls[b].open = true;
        fillBox(b);
      }
    });
    if (cardOf[c]) {
      markCard(cardOf[c], c);
      cardOf[c].scrollIntoView({block: "center"});
    }
  }

  function list(title, items) {
    var frag = document.createDocumentFragment();
    frag.appendChild(el("strong", "", title + " (" + items.length + ")"));
    var ul = el("ul");
    items.slice(0, 40).forEach(function (t) {
      var li = el("li");
      var button = el("button", "link", data.labels[t]);
      button.type = "button";
      button.addEventListener("click", function () {
        select(t, true);
      });
      li.appendChild(button);
      ul.appendChild(li);
    });
    if (items.length > 40) {
      ul.appendChild(el("li", "muted", "and " + (items.length - 40) + " more"));
    }
    frag.appendChild(ul);
    return frag;
  }

  function showPanel(c, below, above) {
    while (panel.firstChild) {
      panel.removeChild(panel.firstChild);
    }
    panel.appendChild(el("h3", "", data.labels[c]));
    var page = el("a", "", "Open its page");
    page.href = root + data.pages[c];
    panel.appendChild(page);
    panel.appendChild(el("p", "muted", data.ids[c] + " · " + data.layers[data.layer[c]].label + " · used by " + data.reuse[c] + " of " + data.products + " products"));
    panel.appendChild(el("p", "", "Depends on " + below + " components (" + succ[c].length + " directly); " + above + " depend on it (" + pred[c].length + " directly)."));
    panel.appendChild(list("Depends on directly", succ[c]));
    panel.appendChild(list("Depended on directly by", pred[c]));
    var none = el("button", "link", "Clear the highlight");
    none.type = "button";
    none.addEventListener("click", function () {
      select(-1, false);
      history.replaceState(null, "", "#");
    });
    panel.appendChild(none);
  }

  // Lines from the selected card to its direct neighbours that are drawn and open.
  function drawEdges() {
    if (!edges) {
      return;
    }
    while (edges.firstChild) {
      edges.removeChild(edges.firstChild);
    }
    if (selected < 0 || !cardOf[selected] || !cardOf[selected].offsetParent) {
      return;
    }
    var base = canvas.getBoundingClientRect();
    var from = cardOf[selected].getBoundingClientRect();
    var x1 = from.left + from.width / 2 - base.left;
    var y1 = from.top + from.height / 2 - base.top;
    var near = succ[selected].concat(pred[selected]);
    for (var j = 0; j < near.length && j < 400; j++) {
      var card = cardOf[near[j]];
      if (!card || !card.offsetParent) {
        continue;
      }
      var to = card.getBoundingClientRect();
      var line = document.createElementNS(NS, "line");
      line.setAttribute("x1", String(x1));
      line.setAttribute("y1", String(y1));
      line.setAttribute("x2", String(to.left + to.width / 2 - base.left));
      line.setAttribute("y2", String(to.top + to.height / 2 - base.top));
      line.setAttribute("stroke", j < succ[selected].length ? "#1a7f37" : "#f0883e");
      line.setAttribute("stroke-width", "1.5");
      line.setAttribute("stroke-opacity", "0.7");
      edges.appendChild(line);
    }
  }

  canvas.addEventListener("click", function (event) {
    var card = event.target.closest ? event.target.closest("button.card-c") : null;
    if (!card) {
      return;
    }
    var c = Number(card.getAttribute("data-i"));
    select(c === selected ? -1 : c, false);
    if (selected >= 0) {
      history.replaceState(null, "", "#c=" + encodeURIComponent(data.ids[selected]));
    }
  });
  window.addEventListener("resize", drawEdges);

  function fromHash() {
    var match = /^#c=(.*)$/.exec(window.location.hash);
    if (!match) {
      return;
    }
    var id = decodeURIComponent(match[1]);
    var at = data.ids.indexOf(id);
    if (at >= 0) {
      select(at, true);
    }
  }

  draw();
  fromHash();
  window.addEventListener("hashchange", fromHash);
})();
