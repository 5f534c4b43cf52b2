/* hub search: the browser half of src/search. It reads the index that `hub build` wrote under
   search/<lang>/, folds and analyses the query exactly as the build analysed the text (folding,
   Porter2 stems, Welsh radicals from the index's own table), fetches only the key chunks the query
   needs and the records of the results it shows, and keeps the query and filters in the URL. */
(function () {
  "use strict";

  var root = document.getElementById("search");
  if (!root || !window.fetch || !window.URLSearchParams) return;
  var stem = window.porter2 && window.porter2.stem;

  var base = root.getAttribute("data-index");
  var lang = root.getAttribute("data-lang");
  var form = root.querySelector("form");
  var input = root.querySelector("input[type=search]");
  var facetsBox = root.querySelector(".search-facets");
  var facetsFold = root.querySelector(".search-facets-box");
  var statusLine = root.querySelector(".search-status");
  var list = root.querySelector(".search-results");
  var more = root.querySelector(".search-more");
  var suggestions = root.querySelector(".search-suggestions");
  var PAGE = 10;
  // Words too common to matter on their own, in either language.
  var STOP = {};
  ("a an and are as at be by for from in is it of on or the to with " +
    "a ac am ar at gan gyda i o y yn yr ym yng eu ei ein mae").split(" ").forEach(function (w) { STOP[w] = true; });

  var meta = null;
  var chunks = {};
  var docs = {};
  var shown = 0;
  var current = null; // { ids: [...], terms: Set } of the last query
  var generation = 0;

  function text(name) {
    return root.getAttribute("data-" + name) || "";
  }
  function found(n) {
    var category = "other";
    try {
      category = new Intl.PluralRules(lang).select(n);
    } catch (e) {}
    return (text("found-" + category) || text("found-other")).replace("{n}", String(n));
  }
  function fetchJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }
  function getJSON(path) {
    return fetchJSON(base + path);
  }

  // Analysis, mirrored from src/search/text.rs.
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function words(s) {
    return (fold(s).match(WORD) || []).filter(function (w) {
      return Array.from(w).length >= meta.min_word;
    });
  }
  /* A Welsh word and the radicals it may be a mutation of (of the mutations `only`, when
     given): the index's own table, read as src/search/text.rs reads it. */
  function radicals(word, only) {
    var out = [word];
    meta.rules.forEach(function (r) {
      if (only && only.indexOf(r.mutation) < 0) return;
      if (word.indexOf(r.from) !== 0) return;
      var rest = word.slice(r.from.length);
      var next = rest.charAt(0);
      if (!next || r.not_before.indexOf(next) >= 0) return;
      if (r.before && r.before.indexOf(next) < 0) return;
      if (r.not_before_pair.some(function (p) { return rest.indexOf(p) === 0; })) return;
      var candidate = r.to + rest;
      if (Array.from(candidate).length >= meta.min_word && out.indexOf(candidate) < 0) out.push(candidate);
    });
    return out;
  }
  /* The mutations a word may carry after `prev` (folded). */
  function mutationsAfter(prev) {
    for (var i = 0; i < meta.triggers.length; i++) {
      if (meta.triggers[i][0].indexOf(prev) >= 0) return meta.triggers[i][1];
    }
    return null;
  }

  /* The keys one query word may match, each with how much a match counts: the word's own key,
     Welsh radical forms, and while the word is still being typed, keys it begins or completes. */
  function candidates(word, typing) {
    var exact = {};
    var prefixes = [];
    function add(key, factor) {
      if (!(key in exact) || exact[key] < factor) exact[key] = factor;
    }
    if (meta.stem && stem) add(stem(word), 1);
    if (meta.demutate) {
      radicals(word).forEach(function (k, i) {
        add(k, i === 0 ? 1 : 0.8);
      });
    }
    if (!meta.stem && !meta.demutate) add(word, 1);
    var partial = {};
    if (typing) {
      prefixes.push(word);
      // "evaluat" on its way to "evaluate": the stem "evalu" is a key it already contains. Used
      // only when the word itself is not a key.
      for (var n = Math.max(3, word.length - 3); n < word.length; n++) {
        if (!(word.slice(0, n) in exact)) partial[word.slice(0, n)] = 0.5;
      }
    }
    return { exact: exact, partial: partial, prefixes: prefixes };
  }

  function chunkOf(key) {
    var lo = 0, hi = meta.chunks.length - 1, at = 0;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (meta.chunks[mid] <= key) { at = mid; lo = mid + 1; } else hi = mid - 1;
    }
    return at;
  }
  function loadChunk(n) {
    if (!chunks[n]) {
      chunks[n] = getJSON("k" + n + ".json").then(function (entries) {
        var map = new Map();
        entries.forEach(function (e) { map.set(e[0], e[1]); });
        return map;
      });
    }
    return chunks[n];
  }
  function chunksFor(c) {
    var need = {};
    Object.keys(c.exact).concat(Object.keys(c.partial)).forEach(function (k) { need[chunkOf(k)] = true; });
    c.prefixes.forEach(function (p) {
      for (var i = chunkOf(p), end = chunkOf(p + "\uffff"); i <= end; i++) need[i] = true;
    });
    return Object.keys(need).map(Number);
  }

  function fieldScore(w) {
    var count = w & 15;
    return (w & 32 ? 3 : 0) + (w & 16 ? 1.5 : 0) + count / (count + 1.2);
  }

  /* Restricted Damerau–Levenshtein distance, stopping once it exceeds 1: a typo is one letter
     missing, added, changed, or two letters swapped. */
  function oneEdit(a, b) {
    if (a === b) return true;
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    var i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* Keys one edit away from a word of five letters or more that matched nothing: looked for in
     the chunks holding keys that begin as it does (a typo is rarely in the first letters). */
  function fuzzy(word) {
    var forms = [word];
    if (meta.stem && stem) forms.push(stem(word));
    var prefix = word.slice(0, 3);
    var need = [];
    for (var i = chunkOf(prefix), end = chunkOf(prefix + "\uffff"); i <= end; i++) need.push(i);
    return Promise.all(need.map(loadChunk)).then(function (maps) {
      var found = [];
      maps.forEach(function (map) {
        map.forEach(function (postings, key) {
          if (key.indexOf(prefix) !== 0) return;
          if (forms.some(function (f) { return oneEdit(f, key); })) found.push([key, postings]);
        });
      });
      return found;
    });
  }

  /* Ranks the documents that match the query: those matching every word first, then those
     matching most words, best score first within each. Returns ids, the keys that matched (for
     highlighting), each document's missing words, and the words matched only as typos. */
  function rank(query, typing) {
    var ws = words(query);
    if (!ws.length) return Promise.resolve(null);
    // A hub with nothing published has no key chunks to fetch.
    if (!meta.chunks.length) return Promise.resolve({ ids: [], keys: new Set(), missing: new Map(), fuzzy: [] });
    var per = ws.map(function (w, i) { return candidates(w, typing && i === ws.length - 1); });
    var need = {};
    per.forEach(function (c) { chunksFor(c).forEach(function (n) { need[n] = true; }); });
    // Little words ("of", "for", "yn") neither make a result, nor are missed, nor are marked,
    // unless the query has nothing else.
    var counts = ws.map(function (w) { return !STOP[w]; });
    if (!counts.some(Boolean)) counts = ws.map(function () { return true; });
    var wanted = counts.filter(Boolean).length;
    return Promise.all(Object.keys(need).map(Number).map(loadChunk)).then(function (maps) {
      var keys = new Set();
      function take(scores, key, postings, factor, mark) {
        if (!postings) return;
        if (mark) keys.add(key);
        var df = postings.length / 2;
        var idf = Math.log(1 + meta.docs / df);
        for (var i = 0, doc = 0; i < postings.length; i += 2) {
          doc += postings[i];
          var s = factor * idf * fieldScore(postings[i + 1]);
          if (!(scores.get(doc) >= s)) scores.set(doc, s);
        }
      }
      var perWord = per.map(function (c, i) {
        var scores = new Map();
        var whole = false;
        maps.forEach(function (map) {
          Object.keys(c.exact).forEach(function (k) {
            if (map.has(k)) whole = true;
            take(scores, k, map.get(k), c.exact[k], counts[i]);
          });
        });
        maps.forEach(function (map) {
          if (!whole) Object.keys(c.partial).forEach(function (k) { take(scores, k, map.get(k), c.partial[k], counts[i]); });
          c.prefixes.forEach(function (p) {
            map.forEach(function (postings, key) {
              if (key !== p && key.indexOf(p) === 0 && !(key in c.exact)) take(scores, key, postings, 0.6, counts[i]);
            });
          });
        });
        return scores;
      });
      // A word of five letters or more that matched nothing, not even as the start of a word
      // while it is typed, may be mistyped: try keys one edit away.
      var typos = [];
      var fixes = perWord.map(function (scores, i) {
        var w = ws[i];
        if (scores.size || Array.from(w).length < 5) return null;
        return fuzzy(w).then(function (found) {
          if (!found.length) return;
          typos.push(w);
          found.forEach(function (f) { take(scores, f[0], f[1], 0.7, counts[i]); });
        });
      });
      return Promise.all(fixes).then(function () {
        var total = new Map();
        var matched = new Map();
        perWord.forEach(function (scores, i) {
          scores.forEach(function (s, doc) {
            total.set(doc, (total.get(doc) || 0) + s);
            if (counts[i]) matched.set(doc, (matched.get(doc) || 0) + 1);
          });
        });
        var ids = Array.from(matched.keys()).sort(function (a, b) {
          return matched.get(b) - matched.get(a) || total.get(b) - total.get(a) || a - b;
        });
        var missing = new Map();
        ids.forEach(function (doc) {
          if (matched.get(doc) === wanted) return;
          missing.set(doc, ws.filter(function (w, i) { return counts[i] && !perWord[i].has(doc); }));
        });
        return { ids: ids, keys: keys, missing: missing, fuzzy: typos };
      });
    });
  }

  // Facets: each study's values are one character each, `48 + value number`.
  var offsets = [];
  function selected() {
    var chosen = meta.kinds.map(function () { return new Set(); });
    facetsBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      chosen[+box.getAttribute("data-kind")].add(+box.getAttribute("data-value"));
    });
    return chosen;
  }
  function valuesOf(doc) {
    var s = meta.facets[doc], out = [];
    for (var i = 0; i < s.length; i++) out.push(s.charCodeAt(i) - 48);
    return out;
  }
  function kindOf(value) {
    for (var k = offsets.length - 1; k >= 0; k--) if (value >= offsets[k]) return k;
    return 0;
  }
  function passes(values, chosen, except) {
    for (var k = 0; k < chosen.length; k++) {
      if (k === except || chosen[k].size === 0) continue;
      var ok = false;
      for (var i = 0; i < values.length; i++) {
        if (kindOf(values[i]) === k && chosen[k].has(values[i] - offsets[k])) { ok = true; break; }
      }
      if (!ok) return false;
    }
    return true;
  }

  function buildFacets() {
    var n = 0;
    meta.kinds.forEach(function (kind, k) {
      offsets.push(n);
      n += kind.values.length;
      var set = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = kind.label;
      set.appendChild(legend);
      // Short vocabularies stay open; long ones fold away behind their name until wanted.
      var holder = set;
      if (kind.values.length > 8) {
        var details = document.createElement("details");
        var summary = document.createElement("summary");
        summary.textContent = kind.label;
        details.appendChild(summary);
        set.appendChild(details);
        legend.className = "visually-hidden";
        holder = details;
      }
      var ul = document.createElement("ul");
      var group = null;
      kind.values.forEach(function (value, v) {
        if (value.unused) return;
        // Clusters are listed under their health board.
        if (value.group && value.group !== group) {
          group = value.group;
          var head = document.createElement("li");
          head.className = "facet-group";
          head.textContent = group;
          ul.appendChild(head);
        }
        var li = document.createElement("li");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = kind.name;
        box.value = value.key;
        box.id = "f-" + kind.name + "-" + value.key;
        box.setAttribute("data-kind", k);
        box.setAttribute("data-value", v);
        var label = document.createElement("label");
        label.htmlFor = box.id;
        var name = document.createElement("span");
        name.textContent = value.label;
        var count = document.createElement("span");
        count.className = "facet-count";
        label.appendChild(name);
        label.appendChild(document.createTextNode(" "));
        label.appendChild(count);
        li.appendChild(box);
        li.appendChild(label);
        ul.appendChild(li);
      });
      holder.appendChild(ul);
      if (ul.childElementCount) facetsBox.appendChild(set);
    });
    facetsFold.hidden = false;
    // Open beside the results on wide screens; on phones folded, so the results come first.
    facetsFold.open = window.matchMedia("(min-width: 52rem)").matches;
  }

  /* Counts per value: the matches that pass every other kind's filters, so ticking a value shows
     how many each of its neighbours would give. */
  function updateCounts(pool, chosen) {
    var counts = meta.kinds.map(function (kind) { return new Array(kind.values.length).fill(0); });
    pool.forEach(function (doc) {
      var values = valuesOf(doc);
      for (var k = 0; k < chosen.length; k++) {
        if (!passes(values, chosen, k)) continue;
        values.forEach(function (value) {
          if (kindOf(value) === k) counts[k][value - offsets[k]]++;
        });
      }
    });
    facetsBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      var k = +box.getAttribute("data-kind"), v = +box.getAttribute("data-value");
      var c = counts[k][v];
      box.nextSibling.lastChild.textContent = "(" + c + ")";
      box.closest("li").classList.toggle("facet-empty", c === 0 && !box.checked);
    });
  }

  // The URL holds the state: ?q=words&regions=key&outcomes=key…
  function readURL() {
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    facetsBox.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = params.getAll(box.name).indexOf(box.value) >= 0;
      if (box.checked) {
        var details = box.closest("details");
        if (details) details.open = true;
        facetsFold.open = true;
      }
    });
  }
  function writeURL(push) {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    facetsBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      params.append(box.name, box.value);
    });
    var qs = params.toString();
    var url = location.pathname + (qs ? "?" + qs : "");
    if (url === location.pathname + location.search) return;
    history[push ? "pushState" : "replaceState"](null, "", url);
  }

  var announceTimer = 0;
  function announce(message) {
    clearTimeout(announceTimer);
    // Screen readers hear the count once typing pauses, not at every key.
    announceTimer = setTimeout(function () { statusLine.textContent = message; }, 400);
  }

  function run() {
    var mine = ++generation;
    var query = input.value;
    list.setAttribute("aria-busy", "true");
    var typing = !/\s$/.test(query);
    return rank(query, typing).then(function (result) {
      if (mine !== generation) return;
      var chosen = selected();
      var anyFilter = chosen.some(function (s) { return s.size > 0; });
      var pool;
      if (result) pool = result.ids;
      else {
        pool = [];
        for (var d = 0; d < meta.docs; d++) pool.push(d);
      }
      updateCounts(pool, chosen);
      list.textContent = "";
      more.hidden = true;
      shown = 0;
      root.setAttribute("data-shown", location.search);
      if (!result && !anyFilter) {
        current = null;
        list.setAttribute("aria-busy", "false");
        announce(text("prompt"));
        return;
      }
      var ids = pool.filter(function (doc) { return passes(valuesOf(doc), chosen, -1); });
      current = {
        ids: ids,
        keys: result ? result.keys : new Set(),
        missing: result ? result.missing : new Map(),
      };
      var full = ids.filter(function (doc) { return !current.missing.has(doc); }).length;
      var message = !ids.length ? text("none") : full ? found(full) : text("partial-only");
      if (ids.length && full && full < ids.length) message += ". " + text("partial-also").replace("{n}", String(ids.length - full));
      if (result && result.fuzzy.length) message = text("fuzzy").replace("{words}", result.fuzzy.join(", ")) + " " + message;
      announce(message);
      suggest(ids.length ? words(query) : null);
      if (!ids.length) list.setAttribute("aria-busy", "false");
      return showMore(mine);
    }).catch(function (e) {
      statusLine.textContent = text("failed");
      if (window.console) console.error(e);
    });
  }

  /* The topics whose label has a word beginning with a query word of four letters or more, to
     browse by the problem; when nothing matches (`ws` null), every topic. */
  function suggest(ws) {
    suggestions.textContent = "";
    var k = kindIndex("topics");
    var values = k < 0 ? [] : meta.kinds[k].values;
    if (ws) {
      var long = ws.filter(function (w) { return Array.from(w).length >= 4; });
      values = values.filter(function (v) {
        return words(v.label).some(function (lw) {
          return long.some(function (w) { return lw.indexOf(w) === 0; });
        });
      });
    }
    suggestions.hidden = !values.length;
    if (!values.length) return;
    var p = document.createElement("p");
    p.textContent = text(ws ? "topics-matching" : "topics");
    suggestions.appendChild(p);
    var ul = document.createElement("ul");
    ul.className = "inline-list";
    values.forEach(function (v) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = meta.home + "topics/" + v.key + "/";
      a.textContent = v.label;
      li.appendChild(a);
      ul.appendChild(li);
    });
    suggestions.appendChild(ul);
  }

  // The language a study's text is in, when this index borrows it from another language's
  // folder (a study not yet translated): null for this index's own language.
  function borrowedFrom(id) {
    for (var i = 0; i < meta.borrowed.length; i++) {
      var b = meta.borrowed[i];
      for (var j = 0; j < b.runs.length; j++) {
        if (id >= b.runs[j][0] && id < b.runs[j][0] + b.runs[j][1]) return b;
      }
    }
    return null;
  }
  function loadDoc(id) {
    if (!docs[id]) {
      var from = borrowedFrom(id);
      var path = "d" + id + ".json";
      docs[id] = (from ? fetchJSON(from.dir + path) : getJSON(path)).then(function (r) {
        r.l = from ? from.lang : null;
        return r;
      });
    }
    return docs[id];
  }

  function showMore(mine) {
    var page = current.ids.slice(shown, shown + PAGE);
    return Promise.all(page.map(loadDoc)).then(function (records) {
      if (mine !== generation) return;
      records.forEach(function (r, i) { list.appendChild(item(page[i], r)); });
      shown += page.length;
      list.setAttribute("aria-busy", "false");
      more.hidden = shown >= current.ids.length;
      if (window.performance && performance.mark) performance.mark("hub-search-rendered");
    });
  }

  function label(kind, doc) {
    var values = valuesOf(doc).filter(function (v) { return kindOf(v) === kind; });
    return values.map(function (v) { return meta.kinds[kind].values[v - offsets[kind]].label; }).join(", ");
  }
  function kindIndex(name) {
    for (var k = 0; k < meta.kinds.length; k++) if (meta.kinds[k].name === name) return k;
    return -1;
  }

  function item(doc, r) {
    var li = document.createElement("li");
    var action = r.k === "a";
    if (action) li.className = "result-action";
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = meta.home + r.u;
    highlight(a, r.t, current.keys);
    if (r.l) a.lang = r.l;
    h.appendChild(a);
    li.appendChild(h);
    var facts = document.createElement("p");
    facts.className = "result-facts";
    var parts = action
      ? [text("kind-action"), label(kindIndex("regions"), doc) || text("national")]
      : [label(kindIndex("regions"), doc), label(kindIndex("statuses"), doc)];
    facts.textContent = parts.filter(Boolean).join(" · ");
    if (r.l) facts.textContent += " · " + text("in-" + r.l);
    li.appendChild(facts);
    if (r.s) {
      var summary = document.createElement("p");
      summary.className = "result-summary";
      if (r.l) summary.lang = r.l;
      highlight(summary, r.s, current.keys);
      li.appendChild(summary);
    }
    var p = document.createElement("p");
    p.className = "result-excerpt";
    if (r.l) p.lang = r.l;
    if (excerpt(p, r, current.keys)) li.appendChild(p);
    var missing = current.missing.get(doc);
    if (missing) {
      var m = document.createElement("p");
      m.className = "result-missing";
      m.textContent = text("missing").replace("{words}", missing.join(", "));
      li.appendChild(m);
    }
    return li;
  }

  // Does this word of the text match one of the keys the query matched?
  /* Whether a word of a text, after the word `prev`, was indexed under one of `keys`: a Welsh
     word's radicals count only after a word that mutates it, as the index files them. */
  function hits(word, keys, prev) {
    if (!keys.size) return false;
    var w = fold(word);
    if (keys.has(w)) return true;
    if (meta.stem && stem && keys.has(stem(w))) return true;
    if (meta.demutate) {
      var m = mutationsAfter(fold(prev || ""));
      if (m) return radicals(w, m).some(function (k) { return keys.has(k); });
    }
    return false;
  }

  function tokens(s) {
    var out = [], m, re = /[\p{Alphabetic}\p{N}]+/gu, prev = "";
    while ((m = re.exec(s))) {
      out.push({ start: m.index, end: m.index + m[0].length, word: m[0], prev: prev });
      prev = m[0];
    }
    return out;
  }

  function highlight(el, s, keys) {
    var at = 0;
    tokens(s).forEach(function (t) {
      if (!hits(t.word, keys, t.prev)) return;
      el.appendChild(document.createTextNode(s.slice(at, t.start)));
      var mark = document.createElement("mark");
      mark.textContent = s.slice(t.start, t.end);
      el.appendChild(mark);
      at = t.end;
    });
    el.appendChild(document.createTextNode(s.slice(at)));
  }

  /* About 30 words of the text around the first match, matches marked, below the summary;
     nothing when the words are only in the title or summary. */
  function excerpt(el, r, keys) {
    var body = r.x || "";
    var ts = tokens(body);
    var first = -1;
    for (var i = 0; i < ts.length; i++) if (hits(ts[i].word, keys, ts[i].prev)) { first = i; break; }
    if (first < 0) return false;
    var from = Math.max(0, first - 10), to = Math.min(ts.length - 1, first + 20);
    var start = ts[from].start, end = ts[to].end;
    if (from > 0) el.appendChild(document.createTextNode("… "));
    highlight(el, body.slice(start, end), keys);
    if (to < ts.length - 1) el.appendChild(document.createTextNode(" …"));
    return true;
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { writeURL(false); run(); }, 60);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    writeURL(true);
    run();
  });
  more.addEventListener("click", function () {
    var first = shown;
    showMore(generation).then(function () {
      // Keyboard users continue from the first new result.
      var link = list.children[first] && list.children[first].querySelector("a");
      if (link) link.focus();
    });
  });
  window.addEventListener("popstate", function () {
    readURL();
    run();
  });

  getJSON("index.json").then(function (m) {
    meta = m;
    buildFacets();
    facetsBox.addEventListener("change", function () {
      writeURL(true);
      run();
    });
    readURL();
    return run();
  }).catch(function (e) {
    statusLine.textContent = text("failed");
    if (window.console) console.error(e);
  });

  root.querySelector(".search-nojs").hidden = true;
  form.hidden = false;
  root.querySelector(".search-layout").hidden = false;
})();
