"""kg.audit and the audit commands, checked against answers read in corpus/*.txt.

Facts used (from the sample corpus):
- 001 (漳州市实施方案) clause (五) 落实排污许可管理制度 ends "(责任单位:市生态环境局)": 漳州市生态环境局
  is responsible; the blanket list before (二) "以下均需各县(区)党委和人民政府…落实" makes the county
  bodies implicitly responsible too.
- 001 (一): "各县(区)党委、政府,开发区(投资区、高新区)党工委(党委)、管委会…每年向上级党委和政府报告".
- 004 (伊犁州实施方案) (八) 严格落实排污许可证制度 "（州生态环境局负责）"; it implements 新党办发〔2020〕25号
  (= 000, the 新疆 实施意见), which implements 中办发〔2020〕6号.
- 生态环境局 is a body in both 漳州市 and 伊犁哈萨克自治州.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg import audit
from kg.build import SAMPLE_CORPUS, build

DOC_ZZ = "001_2b16a58583755083.txt"
DOC_XJ = "000_53a58f5cc7cc4c84.txt"
DOC_ILI = "004_5826063d369361f3.txt"


@pytest.fixture(scope="session")
def has_instruments(store):
    """Instrument mentions that reach the SKOS scheme (so that their labels can be matched)."""
    if not store.query("ASK { ?c egov:usesInstrument ?i }").boolean:
        return "no egov:usesInstrument in the graph yet: instrument extraction (extract/instruments.py) is not in place"
    if not store.query("ASK { ?c egov:usesInstrument ?i . ?i skos:inScheme egov:InstrumentScheme }").boolean:
        return ("clauses use instruments, but none of those IRIs is a concept of egov:InstrumentScheme "
                "(kg/rdf.py instrument IRIs and ontology/instruments.ttl IRIs differ), so no label matches")
    return ""


def needs_instruments(reason: str):
    if reason:
        pytest.skip(reason + "; these checks run once it is")


def source_text(doc: str) -> str:
    return (SAMPLE_CORPUS / doc).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- owners

def test_owners_of_pollutant_permit_in_zhangzhou(store):
    rows = audit.owners(store, "排污许可", jurisdiction="漳州市")
    assert rows and all(r["jurisdiction"] == "漳州市" for r in rows)
    hits = [r for r in rows if r["document"] == DOC_ZZ and r["clause"] == "(五)" and r["owner"] == "生态环境局"]
    assert len(hits) == 1
    hit = hits[0]
    assert hit["role"] == "responsible" and hit["implicit"] is False
    assert hit["heading"] == "落实排污许可管理制度"
    assert hit["owner_label"] == "漳州市生态环境局"
    assert hit["quote"] == "(责任单位:市生态环境局)"
    # the offsets point at the quote in the original file
    assert source_text(DOC_ZZ)[hit["start"]:hit["end"]] == hit["quote"]
    # the blanket list makes the county governments implicitly responsible
    implicit = {r["owner"] for r in rows if r["clause"] == "(五)" and r["implicit"]}
    assert "县(区)人民政府" in implicit


def test_owners_every_quote_is_at_its_offsets(store):
    rows = audit.owners(store, "排污许可")
    docs = {r["document"] for r in rows}
    assert {DOC_ZZ, DOC_ILI} <= docs
    for r in rows:
        if r["owner"] is None:  # a clause about it that nobody owns has no owner evidence (issue 11)
            assert r["quote"] is r["start"] is r["end"] is None, r
            continue
        original = source_text(r["document"])[r["start"]:r["end"]]
        # quotes are taken from the normalised text (002 is written in traditional characters and
        # quoted in simplified ones), so the span has the quote's length; 001 and 004 match exactly
        assert len(original) == len(r["quote"]), r
        if r["document"] in (DOC_ZZ, DOC_ILI):
            assert original == r["quote"], r


def test_owners_ili_permit_clause(store):
    rows = audit.owners(store, "排污许可证制度", jurisdiction="伊犁哈萨克自治州")
    hit = [r for r in rows if r["document"] == DOC_ILI and r["owner"] == "生态环境局"]
    assert hit and hit[0]["clause"] == "（八）" and hit[0]["quote"] == "（州生态环境局负责）"
    assert hit[0]["role"] == "responsible"


def test_owners_via_instrument_labels(store, has_instruments):
    needs_instruments(has_instruments)
    # 001 (五) uses the instrument 排污许可; 排污许可制度 is one of its altLabels, not in the clause's heading
    rows = audit.owners(store, "排污许可制度", jurisdiction="漳州市")
    assert any(r["clause"] == "(五)" and r["owner"] == "生态环境局" and r["matched_by"] == "instrument" for r in rows)
    # matched by heading first, so the instrument path also finds owners of clauses not named after it
    assert any(r["matched_by"] == "instrument" for r in audit.owners(store, "排污许可"))


def test_owners_no_match_and_empty(store):
    assert audit.owners(store, "完全不存在的制度名称") == []
    with pytest.raises(audit.AuditError):
        audit.owners(store, "  ")


# --------------------------------------------------------------------------- actor

def test_actor_ambiguous_across_jurisdictions(store):
    with pytest.raises(audit.Ambiguous) as exc:
        audit.actor(store, "生态环境局")
    places = {c["jurisdiction"] for c in exc.value.candidates}
    assert {"漳州市", "伊犁哈萨克自治州"} <= places


def test_actor_not_found(store):
    with pytest.raises(audit.NotFound):
        audit.actor(store, "火星环境局")


def test_actor_profile_zhangzhou_eeb(store):
    p = audit.actor(store, "生态环境局", jurisdiction="漳州市")
    assert p["body"]["label"] == "漳州市生态环境局"
    assert p == audit.actor(store, "漳州市生态环境局")
    assert any(o["clause"] == "(五)" and o["heading"] == "落实排污许可管理制度" and not o["implicit"]
               for o in p["responsible"])
    # 001 (二十八) 加强组织实施: 市生态环境局…牵头
    assert any(o["heading"] == "加强组织实施" for o in p["leads"])
    # "重大事项及时向市委和市政府报告"
    up = {x["label"] for x in p["reports_to"]}
    assert {"漳州市党委", "漳州市人民政府"} <= up
    assert {"漳州市排污企业", "漳州市重点排污企业"} <= {x["label"] for x in p["regulates"]}
    assert [d["document"] for d in p["documents"]] == [DOC_ZZ]
    rows = audit.profile_rows(p)
    assert rows[0]["section"] == "body" and {r["section"] for r in rows} >= {"responsible", "reports_to"}


def test_actor_reporting_chain_development_zone(store):
    p = audit.actor(store, "开发区(投资区、高新区)管委会", jurisdiction="漳州市")
    chain = {x["label"]: x["depth"] for x in p["reports_to"]}
    assert chain.get("漳州市党委") == 1 and chain.get("漳州市人民政府") == 1
    below = {x["label"] for x in audit.actor(store, "漳州市党委")["reported_by"]}
    assert "漳州市各开发区(投资区、高新区)管委会" in below


def test_actor_reporting_chain_county_government(store):
    # 001 (一): 各县(区)党委、政府…每年向上级党委和政府报告
    p = audit.actor(store, "县(区)人民政府", jurisdiction="漳州市")
    assert "漳州市党委" in {x["label"] for x in p["reports_to"]}


def test_actor_reporting_chain_ili_counties(store):
    # 004: 各县市、开发区及州直有关部门每年年初，要将上一年度方案落实情况报送州党委、州政府
    p = audit.actor(store, "县市人民政府", jurisdiction="伊犁哈萨克自治州")
    assert {"伊犁哈萨克自治州党委", "伊犁哈萨克自治州人民政府"} <= {x["label"] for x in p["reports_to"]}


# --------------------------------------------------------------------------- obligations

def test_obligations_filters(store):
    everything = audit.obligations(store)
    assert len(everything) == len({r["obligation"] for r in everything}) > 100
    mine = audit.obligations(store, actor="漳州市生态环境局", role="responsible")
    assert mine and len(mine) < len(everything)
    assert any(r["clause"] == "(五)" and r["document"] == DOC_ZZ for r in mine)
    assert all("漳州市生态环境局[responsible" in r["owners"] for r in mine)
    same = audit.obligations(store, actor="生态环境局", jurisdiction="漳州市", role="负责")
    assert {r["obligation"] for r in same} == {r["obligation"] for r in mine}
    ili = audit.obligations(store, doc="004")
    assert ili and {r["document"] for r in ili} == {DOC_ILI}
    leads = audit.obligations(store, role="lead", jurisdiction="伊犁哈萨克自治州")
    assert leads and all("[lead" in r["owners"] for r in leads)


def test_obligations_deadline_before(store):
    rows = audit.obligations(store, deadline_before="2022")
    # 004 1. 修改完善伊犁州生态环境保护工作责任规定 … 2021年
    assert rows and all(r["due"] < "2022-01-01" for r in rows)
    assert any(r["document"] == DOC_ILI and r["deadline"] == "2021年" for r in rows)
    assert audit.deadline_date("到2022年；到2025年").isoformat() == "2022-12-31"
    assert audit.deadline_date("2023年6月底").isoformat() == "2023-06-30"
    assert audit.deadline_date("持续开展") is None
    with pytest.raises(audit.AuditError):
        audit.obligations(store, deadline_before="next spring")


def test_obligations_by_instrument(store, has_instruments):
    needs_instruments(has_instruments)
    rows = audit.obligations(store, instrument="排污许可")
    assert any(r["document"] == DOC_ZZ and r["clause"] == "(五)" for r in rows)
    assert all("排污许可" in r["instruments"] for r in rows)
    # an altLabel of the same concept finds the same obligations
    assert {r["obligation"] for r in audit.obligations(store, instrument="排污许可制度")} == \
        {r["obligation"] for r in rows}


def test_obligations_bad_role_and_doc(store):
    with pytest.raises(audit.AuditError):
        audit.obligations(store, role="boss")
    with pytest.raises(audit.NotFound):
        audit.obligations(store, doc="999_nothing.txt")


# --------------------------------------------------------------------------- gaps

def test_gaps(store):
    rows = audit.gaps(store)
    no_owner = [r for r in rows if r["gap"] == "no_owner"]
    # 000 (三) 主要目标 states targets and names nobody
    assert any(r["document"] == DOC_XJ and r["clause"] == "(三)" and r["heading"] == "主要目标" for r in no_owner)
    n = store.query("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a egov:Obligation "
                    "FILTER NOT EXISTS { ?o egov:hasOwnership ?x } }").rows[0]["n"]
    assert len(no_owner) == int(n)
    for r in rows:
        if r["gap"] == "implicit_only":
            assert r["implicit_owners"]


# --------------------------------------------------------------------------- compare

def test_compare_ili_carries_out_xinjiang(store):
    rows = audit.compare(store, DOC_ILI, DOC_XJ)  # order given "wrong": 004 implements 000
    assert rows[0]["higher_doc"] == DOC_XJ and rows[0]["lower_doc"] == DOC_ILI
    matched = {(r["higher"], r["lower"]) for r in rows if r["aspect"] == "clause" and r["status"] == "matched"}
    # both have a clause 主要目标 and 开展目标评价考核
    assert ("(三) 主要目标", "（三） 主要目标") in matched
    assert ("(六) 开展目标评价考核", "（六） 开展目标评价考核") in matched
    bodies = {(r["status"], r["lower"] or r["higher"]) for r in rows if r["aspect"] == "body"}
    assert any(s == "added" for s, _ in bodies)
    assert {r["status"] for r in rows} <= {"matched", "dropped", "added", "kept"}


def test_compare_errors(store):
    with pytest.raises(audit.AuditError):
        audit.compare(store, DOC_ZZ, DOC_ZZ)
    with pytest.raises(audit.Ambiguous):
        audit.compare(store, "0", DOC_ZZ)


# --------------------------------------------------------------------------- stats

def test_stats(store):
    s = audit.stats(store, top=5)
    counts = {c["class"]: c["count"] for c in s["counts"]}
    assert counts["egov:PolicyDocument"] == 5 and counts["egov:Obligation"] > 100
    assert len(s["top_bodies"]) == 5
    assert s["top_bodies"][0]["obligations"] >= s["top_bodies"][-1]["obligations"]
    assert s["betweenness"] and all(0 <= b["betweenness"] <= 1 for b in s["betweenness"])
    tree = s["hierarchy"]

    def parents(node: dict, parent=None):
        for k, sub in node.items():
            yield k, parent
            yield from parents(sub, k)

    placed = list(parents(tree))
    names = [k for k, _ in placed]
    assert len(names) == len(set(names))  # a tree: every body once
    parent = dict(placed)
    # 001 (一): the development-zone committees report to 市委 and 市政府
    assert parent["漳州市各开发区(投资区、高新区)管委会"] in {"漳州市党委", "漳州市人民政府"}
    assert parent["伊犁哈萨克自治州各县市人民政府"] in {"伊犁哈萨克自治州党委", "伊犁哈萨克自治州人民政府"}
    json.dumps(s, ensure_ascii=False)  # plain data


# --------------------------------------------------------------------------- CLI

@pytest.fixture(scope="module")
def run(store_path):
    from cli import app

    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(app, [*args, "--store", str(store_path)])

    return invoke


def test_cli_owners(run):
    r = run("owners", "排污许可", "--jurisdiction", "漳州市", "--format", "json")
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)
    assert any(x["clause"] == "(五)" and x["owner_label"] == "漳州市生态环境局" and x["role"] == "responsible"
               for x in rows)
    r = run("owners", "排污许可", "--format", "csv")
    assert r.exit_code == 0 and r.stdout.startswith("document,")
    r = run("owners", "完全不存在的制度名称")
    assert r.exit_code == 1 and "Error:" in r.stderr


def test_cli_actor(run):
    r = run("actor", "生态环境局")
    assert r.exit_code == 1
    assert "Error:" in r.stderr and "漳州市生态环境局" in r.stderr and "伊犁哈萨克自治州生态环境局" in r.stderr
    r = run("actor", "生态环境局", "--jurisdiction", "漳州市", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["body"]["label"] == "漳州市生态环境局"
    r = run("actor", "漳州市生态环境局", "--format", "csv")
    assert r.exit_code == 0 and "reports_to,漳州市党委" in r.stdout


def test_cli_obligations(run):
    r = run("obligations", "--actor", "漳州市生态环境局", "--role", "responsible", "--doc", "001", "--format", "csv")
    assert r.exit_code == 0, r.output
    assert "落实排污许可管理制度" in r.stdout
    r = run("obligations", "--deadline-before", "2022", "--format", "json")
    assert r.exit_code == 0 and all(x["due"] < "2022" for x in json.loads(r.stdout))
    r = run("obligations", "--role", "boss")
    assert r.exit_code == 1 and "Error:" in r.stderr


def test_cli_gaps_compare_stats(run):
    r = run("gaps", "--format", "csv")
    assert r.exit_code == 0 and "no_owner" in r.stdout
    r = run("compare", "000", "004", "--format", "csv")
    assert r.exit_code == 0 and "matched" in r.stdout
    r = run("compare", "000", "nothing-like-this")
    assert r.exit_code == 1 and "Error:" in r.stderr
    r = run("stats", "--format", "json")
    assert r.exit_code == 0 and "hierarchy" in json.loads(r.stdout)
    r = run("stats")
    assert r.exit_code == 0 and "betweenness" in r.stdout


def test_cli_usage_errors(run, tmp_path):
    from cli import app

    assert run("stats", "--format", "xml").exit_code == 2
    assert run("owners").exit_code == 2  # missing argument
    r = CliRunner().invoke(app, ["gaps", "--store", str(tmp_path / "none")])
    assert r.exit_code == 1 and "Error:" in r.stderr
    shutil.rmtree(tmp_path, ignore_errors=True)


# --------------------------------------------------------------------------- user values are bound, not pasted

@pytest.mark.parametrize("value", ['排污许可" } ?s ?p ?o { "', "排污\n许可\\", "}} UNION { ?o ?p ?x }", "'x'"])
def test_user_values_cannot_change_a_query(store, value):
    """A value with quotes, braces, backslashes or newlines is one literal in a VALUES block:
    it matches nothing here and never changes the query (no syntax error, no extra rows)."""
    assert audit.owners(store, value) == []
    assert audit.find_bodies(store, value) == []
    assert audit.obligations(store, actor=value) == []
    assert audit.obligations(store, instrument=value) == []
    with pytest.raises(audit.NotFound):
        audit.resolve_document(store, value)


def test_a_bound_value_narrows_the_query_like_a_constant(store):
    """The VALUES block binds in the outer group: the owners of one text are those of its obligations."""
    rows = audit.owners(store, "排污许可")
    assert rows and all("排污许可" in (r["heading"] or "") or r["matched_by"] != "heading" for r in rows)
    assert {r["matched_by"] for r in rows} <= {"heading", "text", "instrument"}
    narrowed = audit.owners(store, "排污许可", jurisdiction="漳州市")
    assert narrowed and {r["obligation"] for r in narrowed} <= {r["obligation"] for r in rows}
    with pytest.raises(ValueError):
        audit._run(store, "SELECT ?b WHERE { ?b a egov:Body }", {"b": audit.URIRef("http://x/a> } ?s ?p ?o {")})
