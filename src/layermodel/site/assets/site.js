// The portfolio site's script (layermodel site): search across the portfolio, from
// the prebuilt index in search-index.js (loaded on first use: it is a script, since
// fetch does not work from file://), and, under `layermodel serve`, reloading the
// page when the model changes. Text is written only through textContent.
(function () {
  "use strict";

  var body = document.body;
  var root = body.getAttribute("data-root") || "";
  var index = null;
  var waiting = [];
  var loading = false;

  function withIndex(callback) {
    if (index) {
      callback(index);
      return;
    }
    waiting.push(callback);
    if (loading) {
      return;
    }
    loading = true;
    var script = document.createElement("script");
    script.src = root + "search-index.js";
    script.onload = function () {
      var raw = window.LAYERMODEL_SEARCH || [];
      index = raw.map(function (entry) {
        return {
          kind: entry[0],
          label: entry[1],
          detail: entry[2],
          page: entry[3],
          hay: (entry[1] + " " + entry[2]).toLowerCase(),
          name: entry[1].toLowerCase()
        };
      });
      var pending = waiting;
      waiting = [];
      pending.forEach(function (fn) {
        fn(index);
      });
    };
    document.head.appendChild(script);
  }

  // Matches, best first: the name itself, a name that starts with the query, a word
  // of the name that does, then anything that contains it.
  function find(entries, query, limit) {
    var q = query.trim().toLowerCase();
    if (!q) {
      return [];
    }
    var found = [];
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i];
      var at = e.hay.indexOf(q);
      if (at < 0) {
        continue;
      }
      var score = 3;
      if (e.name === q) {
        score = 0;
      } else if (e.name.indexOf(q) === 0) {
        score = 1;
      } else if (at > 0 && /[\s\-_./·]/.test(e.hay.charAt(at - 1))) {
        score = 2;
      }
      found.push([score, e.label.length, i]);
    }
    found.sort(function (a, b) {
      return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
    });
    return found.slice(0, limit).map(function (f) {
      return entries[f[2]];
    });
  }

  function item(entry) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + entry.page;
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = entry.kind;
    var label = document.createElement("span");
    label.className = "label";
    label.textContent = entry.label + " ";
    var detail = document.createElement("span");
    detail.className = "detail";
    detail.textContent = entry.detail;
    a.appendChild(kind);
    a.appendChild(label);
    a.appendChild(detail);
    li.appendChild(a);
    return li;
  }

  function fill(list, entries) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    entries.forEach(function (entry) {
      list.appendChild(item(entry));
    });
  }

  var box = document.getElementById("search-box");
  var results = document.getElementById("search-results");
  if (box && results) {
    var update = function () {
      withIndex(function (entries) {
        var shown = find(entries, box.value, 12);
        fill(results, shown);
        results.hidden = shown.length === 0;
      });
    };
    box.addEventListener("focus", function () {
      withIndex(function () {});
    });
    box.addEventListener("input", update);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && box.value.trim()) {
        window.location.href = root + "search.html?q=" + encodeURIComponent(box.value.trim());
      } else if (event.key === "Escape") {
        results.hidden = true;
      } else if (event.key === "ArrowDown" && !results.hidden && results.firstChild) {
        event.preventDefault();
        results.firstChild.querySelector("a").focus();
      }
    });
    results.addEventListener("keydown", function (event) {
      var current = document.activeElement && document.activeElement.parentNode;
      if (event.key === "ArrowDown" && current && current.nextSibling) {
        event.preventDefault();
        current.nextSibling.querySelector("a").focus();
      } else if (event.key === "ArrowUp" && current) {
        event.preventDefault();
        if (current.previousSibling) {
          current.previousSibling.querySelector("a").focus();
        } else {
          box.focus();
        }
      } else if (event.key === "Escape") {
        results.hidden = true;
        box.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!results.contains(event.target) && event.target !== box) {
        results.hidden = true;
      }
    });
  }

  var pageBox = document.getElementById("search-page-box");
  var pageResults = document.getElementById("search-page-results");
  if (pageBox && pageResults) {
    var run = function () {
      withIndex(function (entries) {
        fill(pageResults, find(entries, pageBox.value, 500));
      });
    };
    var match = /[?&]q=([^&]*)/.exec(window.location.search);
    if (match) {
      pageBox.value = decodeURIComponent(match[1].replace(/\+/g, " "));
      run();
    }
    pageBox.addEventListener("input", run);
  }

  // Under `layermodel serve`: ask the server for a version other than this page's
  // (it answers as soon as there is one, or after a while with the same) and reload
  // when it changes.
  if (body.getAttribute("data-live")) {
    var known = body.getAttribute("data-live");
    var poll = function () {
      var request = new XMLHttpRequest();
      request.open("GET", "/__layermodel__/version?after=" + encodeURIComponent(known));
      request.onload = function () {
        if (request.status === 200 && request.responseText.trim() !== known) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 50);
      };
      request.onerror = function () {
        window.setTimeout(poll, 1000);
      };
      request.send();
    };
    poll();
  }
})();
