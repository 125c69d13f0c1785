"""kg serve's query page in a real headless Chromium, against a real server over the sample store (issue 11).

The browser is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``),
with the standard library only; nothing leaves the loopback interface. The tests skip,
saying why, where Debian's chromium is missing.

``KG_QUERY_PAGE_SCREENSHOT=docs/query-page.png pytest tests/kg/test_query_page.py -k screenshot``
rewrites the screenshot in the docs.
"""
from __future__ import annotations

import base64
import csv
import io
import json
import os
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import chromium
from chromium import CHROMIUM, BrowserError

ROOT = Path(__file__).resolve().parents[2]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 35,602³ rows: minutes


# --------------------------------------------------------------------------- the browser

class Browser(chromium.Browser):
    """The shared DevTools-pipe driver (tests/chromium.py) with what the page tests do."""

    def goto(self, url: str, ready: str = "document.readyState === 'complete'", timeout: float = 30) -> None:
        self.send("Page.navigate", url=url)
        time.sleep(0.2)
        self.wait_for(ready, timeout)

    def wait_for(self, condition: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                value = self.evaluate(f"(function(){{ try {{ return {condition}; }} catch (e) {{ return null; }} }})()")
            except BrowserError:
                value = None
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for {condition}")
            time.sleep(0.1)

    def key(self, key: str, code: str, key_code: int, modifiers: int = 0) -> None:
        """Press and release a key (modifiers: 1 Alt, 2 Ctrl, 4 Meta, 8 Shift)."""
        for kind in ("rawKeyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=key_code,
                      nativeVirtualKeyCode=key_code, modifiers=modifiers)

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", text=text)

    def screenshot(self, path: Path, full_page: bool = False) -> None:
        params = {"format": "png"}
        if full_page:
            metrics = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params.update(captureBeyondViewport=True, clip={"x": 0, "y": 0, "width": metrics["width"],
                                                            "height": metrics["height"], "scale": 1})
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", **params)["data"]))

    def console_problems(self) -> list[str]:
        """Errors and CSP violations the page reported so far.

        Left out: Chromium's own editing, replacing a selection of several lines in a
        contenteditable (the editor), writes style="…" on the merged line; the CSP blocks it,
        harmlessly, as CodeMirror redraws the line from its state anyway.
        """
        out = []
        for ev in self.events:
            if ev.get("method") == "Log.entryAdded":
                entry = ev["params"]["entry"]
                if entry.get("text", "").startswith("Applying inline style violates") and "/static/" not in (
                        entry.get("url") or ""):
                    continue
                if entry.get("level") == "error" or entry.get("source") == "security":
                    out.append(f"{entry.get('source')}: {entry.get('text')}")
            elif ev.get("method") == "Runtime.exceptionThrown":
                out.append(json.dumps(ev["params"]["exceptionDetails"])[:500])
        return out


# --------------------------------------------------------------------------- fixtures

def _serve(store_path, **kwargs):
    from kg.serve import make_server

    srv = make_server(store_path, "127.0.0.1", 0, **kwargs)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


def _stop(srv):
    srv.shutdown()
    srv.server_close()
    srv.app.close()


@pytest.fixture(scope="module")
def server(store_path):
    srv, url = _serve(store_path, timeout=30, workers=2)
    yield url
    _stop(srv)


@pytest.fixture(scope="module")
def slow_server(store_path):
    """A server whose queries stop after 1 s."""
    srv, url = _serve(store_path, timeout=1, workers=1)
    yield url
    _stop(srv)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed: the query page tests need Debian's chromium")
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield b
    b.close()


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _open(browser: Browser, url: str, until: str = "RESULT") -> None:
    """Load the page and wait for the first answer (a table, an ASK, or an error) when ``until`` is RESULT."""
    browser.events.clear()
    browser.goto(url)
    browser.wait_for("!!(window.KGEditor && document.querySelector('.cm-editor'))")
    if until == "RESULT":
        browser.wait_for(DONE)


DONE = ("!!(document.querySelector('#out table, #out p, #out pre') || !document.getElementById('error').hidden)"
        " && !/running/.test(document.getElementById('status').textContent)")


def _run_with_keys(browser: Browser, query: str) -> None:
    """Replace the editor's text by typing, then press Ctrl+Enter."""
    browser.evaluate("document.getElementById('out').replaceChildren(); "
                     "document.querySelector('.cm-content').focus()")
    browser.key("a", "KeyA", 65, modifiers=2)  # select all
    browser.type_text(query)
    browser.key("Enter", "Enter", 13, modifiers=2)
    browser.wait_for(DONE)


def _table(browser: Browser) -> dict:
    return browser.evaluate("""(function(){
        var t = document.querySelector('#out table.results');
        if (!t) return null;
        return {head: [...t.querySelectorAll('thead th')].map(th => th.textContent),
                rows: [...t.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(td => td.textContent)),
                lang: [...t.querySelectorAll('.lang')].map(s => s.textContent),
                iris: [...t.querySelectorAll('.iri')].map(s => [s.textContent, s.title])};
    })()""")


def _editor_text(browser: Browser) -> str:
    return browser.evaluate("document.getElementById('editor').kgEditor.value")


# --------------------------------------------------------------------------- 1. editor

def test_editor_highlights_sparql_and_ctrl_enter_runs(browser, server):
    _open(browser, server + "/", until="editor")
    assert browser.evaluate("document.getElementById('query').hidden") is True  # the text area gave way
    # syntax highlighting: keywords, variables and prefixed names are tokens with their own colours
    colours = browser.evaluate("""(function(){
        var out = {};
        document.querySelectorAll('.cm-content span').forEach(function(s){
            out[s.textContent] = getComputedStyle(s).color; });
        out['line'] = getComputedStyle(document.querySelector('.cm-line')).color;
        return out; })()""")
    assert colours.get("SELECT") and colours.get("?type"), colours
    assert colours["SELECT"] != colours["line"] and colours["?type"] != colours["line"], colours
    _run_with_keys(browser, "SELECT ?label WHERE { ?b a egov:Body ; rdfs:label ?label } ORDER BY ?label LIMIT 3")
    table = _table(browser)
    assert table["head"] == ["#", "?label"] and len(table["rows"]) == 3, table
    assert browser.console_problems() == []  # no CSP violation, no script error


def test_page_loads_only_its_own_files(server):
    status, headers, body = _get(server + "/")
    page = body.decode("utf-8")
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "http://" not in csp and "https://" not in csp and "*" not in csp
    import re

    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page)
    assert {s.split("?")[0] for s in srcs} == {"data:,", "static/query.css", "static/codemirror.js", "static/query.js"}
    assert re.findall(r'(?:src|href|action)="([^"]*)"', page) == srcs  # nothing else is loaded or linked
    for src in srcs:
        if src.startswith("static/"):
            assert _get(server + "/" + src)[0] == 200


# --------------------------------------------------------------------------- 2. prefixes, labels, paging, downloads

def test_prefixes_hidden_and_results_prefixed_with_language_tags(browser, server):
    _open(browser, server + "/", until="editor")
    assert "PREFIX" not in _editor_text(browser)
    assert "PREFIX egov: <https://w3id.org/envgov-kg/ontology#>" in browser.evaluate(
        "document.querySelector('#prefixes pre').textContent")
    _run_with_keys(browser, 'SELECT ?b ?label ?type WHERE { ?b skos:prefLabel "生态环境局"@zh ; rdfs:label ?label ; '
                            'a ?type } ORDER BY ?label ?type')
    table = _table(browser)
    assert table["rows"], table
    row = table["rows"][0]
    assert row[1].startswith("egid:body/") and row[2].endswith("@zh"), row
    assert {"egov:Body", "org:Organization"} <= {r[3] for r in table["rows"]}
    iri, title = table["iris"][0]
    assert title == "https://w3id.org/envgov-kg/id/" + iri[len("egid:"):]
    assert set(table["lang"]) == {"@zh"}


def test_paging_100_rows_a_page(browser, server):
    _open(browser, server + "/", until="editor")
    _run_with_keys(browser, "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 250")
    info = "document.getElementById('page-info').textContent"
    assert len(_table(browser)["rows"]) == 100 and browser.evaluate(info).startswith("rows 1–100 of 250")
    assert browser.evaluate("document.getElementById('prev').disabled") is True
    first = _table(browser)["rows"][0]
    for expect in ("rows 101–200 of 250", "rows 201–250 of 250"):
        browser.evaluate("document.getElementById('next').click()")
        assert browser.evaluate(info).startswith(expect)
    rows = _table(browser)["rows"]
    assert len(rows) == 50 and rows[0][0] == "201" and rows[-1][0] == "250"
    assert browser.evaluate("document.getElementById('next').disabled") is True
    browser.evaluate("document.getElementById('prev').click(); document.getElementById('prev').click()")
    assert _table(browser)["rows"][0] == first


def test_download_links_for_the_current_query(browser, server):
    _open(browser, server + "/?name=reporting_chain&%24body=" + urllib.parse.quote("县市人民政府"))
    links = browser.evaluate("[...document.querySelectorAll('.downloads a')].map(a => [a.textContent, a.href])")
    assert [name for name, _ in links] == ["JSON", "CSV", "TSV"]
    got = {}
    for name, href in links:
        assert href.startswith(server + "/sparql?")
        status, headers, body = _get(href)
        assert status == 200, body
        got[name] = (headers["Content-Type"], body.decode("utf-8"))
    assert got["JSON"][0] == "application/sparql-results+json"
    assert len(json.loads(got["JSON"][1])["results"]["bindings"]) == 2
    assert got["CSV"][0].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(got["CSV"][1])))
    assert {r["body"] for r in rows} == {"县市人民政府"} and len(rows) == 2
    assert got["TSV"][0].startswith("text/tab-separated-values") and len(got["TSV"][1].strip().splitlines()) == 3
    # after a CONSTRUCT, the links give the graph
    _run_with_keys(browser, "CONSTRUCT { ?o a egov:Obligation } WHERE { ?o a egov:Obligation } LIMIT 3")
    links = browser.evaluate("[...document.querySelectorAll('.downloads a')].map(a => [a.textContent, a.href])")
    assert [name for name, _ in links] == ["Turtle", "N-Triples", "JSON-LD"]
    status, headers, body = _get(links[1][1])
    assert status == 200 and headers["Content-Type"] == "application/n-triples" and len(body.splitlines()) == 3


# --------------------------------------------------------------------------- 3. shareable links

def test_link_with_a_query_opens_and_runs_it(browser, server):
    query = 'SELECT ?label WHERE { ?b skos:prefLabel "县(区)人民政府"@zh ; org:reportsTo+ ?x . ?x rdfs:label ?label }'
    _open(browser, server + "/?" + urllib.parse.urlencode({"query": query}))
    assert _editor_text(browser) == query
    labels = {r[1] for r in _table(browser)["rows"]}
    assert {"漳州市人民政府@zh", "漳州市党委@zh"} <= labels


def test_running_a_query_puts_it_in_the_address_bar(browser, server):
    _open(browser, server + "/", until="editor")
    query = "SELECT (COUNT(?o) AS ?n) WHERE { ?o a egov:Obligation }"
    _run_with_keys(browser, query)
    assert _table(browser)["rows"] == [["1", "163"]]
    search = browser.evaluate("location.search")
    assert urllib.parse.parse_qs(search[1:]) == {"query": [query]}
    # the copied address, opened afresh, gives the same answer
    _open(browser, server + "/" + search)
    assert _table(browser)["rows"] == [["1", "163"]]


# --------------------------------------------------------------------------- 4. named queries with parameters

@pytest.mark.parametrize("name, param, value, expect", [
    ("reporting_chain", "body", "县市人民政府", 2),
    ("owners_of_instrument", "instrument", "排污许可", 15),
])
def test_named_query_parameters_are_fields(browser, server, name, param, value, expect):
    """Regression (issue 11): these named queries returned 0 rows on the page, ?body being unbound."""
    _open(browser, server + "/", until="editor")
    browser.evaluate(f"var s = document.getElementById('examples'); s.value = {json.dumps(name)}; "
                     "s.dispatchEvent(new Event('change'))")
    field = f"document.getElementById('param-{param}')"
    from kg.queries import load_query

    assert browser.evaluate(f"{field}.value") == load_query(name).defaults[param]
    assert browser.evaluate("document.querySelectorAll('#params input').length") == 1
    browser.evaluate(f"{field}.value = {json.dumps(value)}; {field}.dispatchEvent(new Event('input')); "
                     "document.getElementById('run').click()")
    browser.wait_for(DONE)
    rows = _table(browser)["rows"]
    assert len(rows) == expect, rows
    col = _table(browser)["head"].index("?" + param)
    assert {r[col] for r in rows} == {value}
    search = urllib.parse.parse_qs(browser.evaluate("location.search")[1:])
    assert search == {"name": [name], "$" + param: [value]}


def test_parameter_values_are_never_sparql(browser, server):
    evil = '县市人民政府" } UNION { ?b ?p ?label . BIND("x" AS ?body'
    _open(browser, server + "/?name=reporting_chain&" + urllib.parse.urlencode({"$body": evil}))
    assert browser.evaluate("document.getElementById('error').hidden") is True
    assert _table(browser)["rows"] == []  # one literal that no body is named
    assert browser.evaluate("document.getElementById('param-body').value") == evil


# --------------------------------------------------------------------------- 6. a query that times out

def test_timed_out_query_shows_the_servers_message(browser, slow_server):
    _open(browser, slow_server + "/?" + urllib.parse.urlencode({"query": HEAVY}))
    error = browser.evaluate("[document.getElementById('error').hidden, "
                             "document.querySelector('#error strong').textContent, "
                             "document.querySelector('#error pre').textContent]")
    assert error[0] is False
    assert error[1] == "Query stopped: it ran longer than the server's time limit"
    assert error[2].startswith("query stopped after the 1 s timeout")
    assert "503" not in browser.evaluate("document.getElementById('status').textContent")


# --------------------------------------------------------------------------- 7. the screenshot in the docs

def test_screenshot(browser, server, tmp_path):
    """A page with a named query and its answer, Chinese drawn (fonts-wqy-microhei)."""
    out = Path(os.environ.get("KG_QUERY_PAGE_SCREENSHOT") or tmp_path / "query-page.png")
    if not out.is_absolute():
        out = ROOT / out
    browser.send("Emulation.setDeviceMetricsOverride", width=1200, height=700, deviceScaleFactor=1, mobile=False)
    try:
        _open(browser, server + "/?name=reporting_chain&%24body=" + urllib.parse.quote("漳州市生态环境局"))
        assert len(_table(browser)["rows"]) == 2
        browser.evaluate("document.querySelector('.cm-content').focus()")
        browser.screenshot(out)
    finally:
        browser.send("Emulation.setDeviceMetricsOverride", width=1280, height=900, deviceScaleFactor=1,
                     mobile=False)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000
