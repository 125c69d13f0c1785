// kg serve's query page: editor, named queries with parameter fields, results with prefixed names
// and language tags, paging, downloads, shareable links (?query=… / ?name=… and $param=…).
// Served from /static/ under the page's strict CSP: no inline script, no other origin; values from the
// server only ever become text (textContent), never markup.
(function () {
  "use strict";
  var PAGE_SIZE = 100;
  var XSD_STRING = "http://www.w3.org/2001/XMLSchema#string";
  var RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var PLAIN_TYPES = ["integer", "decimal", "double", "boolean"];  // shown as they are, their type on hover
  var data = JSON.parse(document.getElementById("data").textContent);
  function $(id) { return document.getElementById(id); }
  var ta = $("query"), sel = $("examples"), out = $("out"), status = $("status"), errBox = $("error");
  var desc = $("desc"), paramsBox = $("params"), pager = $("pager"), pageInfo = $("page-info");
  var prevBtn = $("prev"), nextBtn = $("next");
  var links = [$("dl-1"), $("dl-2"), $("dl-3")];
  var RESULT_FORMATS = [["json", "JSON"], ["csv", "CSV"], ["tsv", "TSV"]];
  var GRAPH_FORMATS = [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"]];
  var prefixes = data.prefixes || {};
  var prefixOrder = Object.keys(prefixes).sort(function (a, b) { return prefixes[b].length - prefixes[a].length; });
  var named = {};
  (data.queries || []).forEach(function (q) { named[q.name] = q; });
  var state = {vars: null, rows: null, page: 0, formats: RESULT_FORMATS, running: null};

  // ------------------------------------------------------------------ editor
  var editor = null;
  if (window.KGEditor) {
    ta.hidden = true;
    editor = window.KGEditor.create($("editor"), {doc: "", onRun: run, onChange: changed, nonce: data.nonce});
    $("editor").kgEditor = editor;  // for scripts and tests: .value is the query text
  } else {  // the bundle did not load: a plain text area, Ctrl+Enter still runs
    ta.addEventListener("keydown", function (e) {
      if ((e.ctrlKey || e.metaKey) && e.key === "Enter") { e.preventDefault(); run(); }
    });
    ta.addEventListener("input", changed);
  }
  function getText() { return editor ? editor.value : ta.value; }
  function setText(text) { if (editor) editor.value = text; else ta.value = text; }

  // ------------------------------------------------------------------ parameters
  function paramValues() {
    var out = [];
    paramsBox.querySelectorAll("input[data-param]").forEach(function (input) {
      if (input.value !== "") out.push([input.dataset.param, input.value]);
    });
    return out;
  }
  // One field per parameter, like Datasette's canned queries: `names` in order, `values` to fill in.
  function buildParams(names, values, hints) {
    paramsBox.replaceChildren();
    names.forEach(function (name) {
      var label = document.createElement("label"), span = document.createElement("span");
      span.className = "name";
      span.textContent = "?" + name;
      var input = document.createElement("input");
      input.type = "text";
      input.dataset.param = name;
      input.id = "param-" + name;
      input.value = values[name] !== undefined ? values[name] : "";
      input.addEventListener("input", changed);
      input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); run(); } });
      label.appendChild(span);
      label.appendChild(input);
      if (hints && hints[name]) {
        var small = document.createElement("small");
        small.textContent = hints[name];
        label.appendChild(small);
      }
      paramsBox.appendChild(label);
    });
    paramsBox.hidden = names.length === 0;
  }
  function selectNamed(name, given) {
    var q = named[name];
    if (!q) { desc.textContent = ""; buildParams(Object.keys(given || {}), given || {}, {}); return; }
    sel.value = name;
    setText(q.text);
    desc.textContent = q.description || "";
    var values = {};
    q.parameters.forEach(function (p) { values[p] = q.defaults[p] !== undefined ? q.defaults[p] : ""; });
    Object.keys(given || {}).forEach(function (p) { values[p] = given[p]; });
    var names = q.parameters.slice();
    Object.keys(given || {}).forEach(function (p) { if (names.indexOf(p) < 0) names.push(p); });
    buildParams(names, values, q.hints || {});
  }
  sel.addEventListener("change", function () {
    if (sel.value === "") return;
    selectNamed(sel.value, null);
    changed();
  });

  // ------------------------------------------------------------------ requests and links
  function requestParams(format) {
    var p = new URLSearchParams();
    p.set("query", getText());
    paramValues().forEach(function (kv) { p.append("$" + kv[0], kv[1]); });
    if (format) p.set("format", format);
    return p;
  }
  function updateLinks() {
    state.formats.forEach(function (f, i) {
      links[i].textContent = f[1];
      links[i].href = "sparql?" + requestParams(f[0]).toString();
      links[i].setAttribute("download", "results." + f[0]);
    });
  }
  function shareParams() {
    var p = new URLSearchParams(), q = named[sel.value];
    if (q && q.text === getText()) p.set("name", q.name); else p.set("query", getText());
    paramValues().forEach(function (kv) { p.append("$" + kv[0], kv[1]); });
    return p;
  }
  function updateAddress() {
    history.replaceState(null, "", location.pathname + "?" + shareParams().toString());
  }
  function changed() { updateLinks(); }

  // ------------------------------------------------------------------ results
  function compact(iri) {
    for (var i = 0; i < prefixOrder.length; i++) {
      var ns = prefixes[prefixOrder[i]];
      if (iri.lastIndexOf(ns, 0) === 0 && /^[^\s<>"{}|^`\\]*$/.test(iri.slice(ns.length))) {
        return prefixOrder[i] + ":" + iri.slice(ns.length);
      }
    }
    return "<" + iri + ">";
  }
  function span(cls, text, title) {
    var e = document.createElement("span");
    e.className = cls;
    e.textContent = text;
    if (title) e.title = title;
    return e;
  }
  function term(t) {
    var frag = document.createDocumentFragment();
    if (!t) return frag;
    if (t.type === "uri") {
      frag.appendChild(span("iri", compact(t.value), t.value));
    } else if (t.type === "bnode") {
      frag.appendChild(span("bnode", "_:" + t.value));
    } else if (t.type === "triple") {
      frag.appendChild(document.createTextNode("<< "));
      ["subject", "predicate", "object"].forEach(function (k) {
        frag.appendChild(term(t.value[k]));
        frag.appendChild(document.createTextNode(" "));
      });
      frag.appendChild(document.createTextNode(">>"));
    } else {
      var dt = t.datatype || "";
      if (dt.lastIndexOf(XSD, 0) === 0 && PLAIN_TYPES.indexOf(dt.slice(XSD.length)) >= 0) {
        frag.appendChild(span("lit num", t.value, compact(dt)));
        return frag;
      }
      frag.appendChild(span("lit", t.value));
      if (t["xml:lang"]) frag.appendChild(span("lang", "@" + t["xml:lang"]));
      else if (dt && dt !== XSD_STRING && dt !== RDF_LANGSTRING) {
        frag.appendChild(span("dt", "^^" + compact(t.datatype), t.datatype));
      }
    }
    return frag;
  }
  function cell(tag, text, cls) {
    var e = document.createElement(tag);
    e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }
  function renderPage() {
    var rows = state.rows, vars = state.vars, total = rows.length;
    var pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    var start = state.page * PAGE_SIZE, slice = rows.slice(start, start + PAGE_SIZE);
    var table = document.createElement("table"), head = document.createElement("tr");
    table.className = "results";
    head.appendChild(cell("th", "#"));
    vars.forEach(function (v) { head.appendChild(cell("th", "?" + v)); });
    var thead = document.createElement("thead"), tbody = document.createElement("tbody");
    thead.appendChild(head);
    slice.forEach(function (b, i) {
      var tr = document.createElement("tr");
      tr.appendChild(cell("td", String(start + i + 1), "n"));
      vars.forEach(function (v) {
        var td = document.createElement("td");
        td.appendChild(term(b[v]));
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(thead);
    table.appendChild(tbody);
    out.replaceChildren(table);
    pager.hidden = total <= PAGE_SIZE;
    pageInfo.textContent = total ? "rows " + (start + 1) + "–" + (start + slice.length) + " of " + total +
      " (page " + (state.page + 1) + " of " + pages + ")" : "no rows";
    prevBtn.disabled = state.page === 0;
    nextBtn.disabled = state.page >= pages - 1;
  }
  prevBtn.addEventListener("click", function () { state.page -= 1; renderPage(); });
  nextBtn.addEventListener("click", function () { state.page += 1; renderPage(); });

  function showResults(res, seconds) {
    if (typeof res.boolean === "boolean") {
      out.replaceChildren(cell("p", "ASK → " + res.boolean, "ask"));
      status.textContent = "answered in " + seconds;
      return;
    }
    state.vars = res.head.vars || [];
    state.rows = res.results.bindings;
    state.page = 0;
    renderPage();
    status.textContent = state.rows.length + (state.rows.length === 1 ? " row" : " rows") + " in " + seconds;
  }
  function showError(code, message) {
    var title;
    if (code === 503 && /timeout|time limit/i.test(message)) {
      title = "Query stopped: it ran longer than the server's time limit";
    } else if (code === 503 && /memory/i.test(message)) {
      title = "Query stopped: it needed more memory than the server allows per query";
    } else if (code === 503) {
      title = "The server could not answer now (503)";
    } else if (code === 400) {
      title = "The query was refused (400)";
    } else if (code === 403) {
      title = "Forbidden (403)";
    } else if (code === 0) {
      title = "Cannot reach the server";
    } else {
      title = "Error " + code;
    }
    errBox.replaceChildren(cell("strong", title), cell("pre", message.replace(/\s+$/, "")));
    errBox.hidden = false;
  }
  function run() {
    if (state.running) state.running.abort();
    var ctrl = new AbortController(), t0 = performance.now();
    state.running = ctrl;
    errBox.hidden = true;
    pager.hidden = true;
    out.replaceChildren();
    status.textContent = "running…";
    updateAddress();
    updateLinks();
    function elapsed() { return ((performance.now() - t0) / 1000).toFixed(2) + " s"; }
    fetch("sparql", {method: "POST", signal: ctrl.signal, body: requestParams(null),
                     headers: {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}})
      .then(function (r) {
        var ctype = r.headers.get("Content-Type") || "";
        if (!r.ok) return r.text().then(function (t) { status.textContent = ""; showError(r.status, t); });
        if (ctype.indexOf("json") >= 0) {
          state.formats = RESULT_FORMATS;
          updateLinks();
          return r.json().then(function (res) { showResults(res, elapsed()); });
        }
        state.formats = GRAPH_FORMATS;
        updateLinks();
        return r.text().then(function (t) {
          out.replaceChildren(cell("pre", t, "graph"));
          status.textContent = "graph in " + elapsed();
        });
      })
      .catch(function (e) {
        if (e && e.name === "AbortError") return;
        status.textContent = "";
        showError(0, String((e && e.message) || e));
      })
      .finally(function () { if (state.running === ctrl) state.running = null; });
  }
  $("run").addEventListener("click", run);

  // ------------------------------------------------------------------ start: a shared link runs its query
  var qs = new URLSearchParams(location.search), given = {};
  qs.forEach(function (v, k) { if (k.charAt(0) === "$" && k.length > 1) given[k.slice(1)] = v; });
  var name = qs.get("name"), text = qs.get("query");
  if (name !== null || Object.keys(given).length) selectNamed(name || "", given);
  if (text !== null) setText(text);
  else if (name === null || !named[name]) setText(data.example);
  updateLinks();
  if (text !== null || (name !== null && named[name])) run();
})();
