"""Instrument finding (extract/instruments.py) and the generated SKOS scheme (ontology/instruments.ttl)."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic, to_isomorphic
from rdflib.namespace import SKOS

from extract.instruments import (
    GOVERNANCE_SYSTEMS,
    NATO_RESOURCES,
    PINE_TYPES,
    TYPES,
    InstrumentHit,
    find_instruments,
    load_scheme_labels,
    normalise_label,
    scheme,
)
from extract.vocab import load_lines
from ontology.make_instruments import EGOV, OUTPUT, build_scheme_graph, instrument_iri, serialise

ROOT = Path(__file__).resolve().parents[2]


def concepts(text: str) -> list[str]:
    return [h.concept for h in find_instruments(text) if not h.candidate]


def candidates(text: str) -> list[str]:
    return [h.concept for h in find_instruments(text) if h.candidate]


# --------------------------------------------------------------------------- scheme hits

@pytest.mark.parametrize("text, expected", [
    # aliases fold to the preferred label
    ("严格落实排污许可证制度", ["排污许可"]),
    ("深化环评制度改革，强化规划环评与项目环评联动", ["环境影响评价", "环境影响评价", "环境影响评价"]),
    ("加快推进碳排放权、用能权交易", ["碳排放权交易", "用能权交易"]),
    ("积极推行环境污染第三方治理和环保管家服务", ["第三方治理", "环保管家"]),
    ("规范推广PPP模式", ["政府和社会资本合作"]),
    ("探索EOD模式", ["生态环境导向的开发模式"]),
    ("完善居民阶梯水价，实施差别电价", ["阶梯价格", "差别化电价"]),
    ("推行生活垃圾强制分类制度，试行押金返还", ["垃圾分类制度", "押金返还"]),
    ("全面推行河长制、湖长制和林长制", ["河长制", "河长制", "林长制"]),
    ("发展绿色信贷、绿色债券、绿色保险", ["绿色信贷", "绿色债券", "绿色保险"]),
    # green and climate finance products are tools of their own; the field itself (发展绿色金融) is none
    ("推广碳排放权质押贷款和排污权抵押贷款，稳妥发展转型金融", ["碳排放权质押贷款", "排污权抵押贷款", "转型金融"]),
    ("大力发展绿色金融，开展气候投融资试点", ["气候投融资试点"]),
    ("推动金融机构环境信息披露，引导上市公司开展ESG信息披露", ["金融机构环境信息披露", "ESG信息披露"]),
    # river and lake management, enforcement and review under the general laws
    ("编制一河一策，完成河湖管理范围划定，严格水功能区监管", ["一河一策", "河湖管理范围划定", "水功能区管理"]),
    ("综合运用按日连续处罚、查封扣押、限产停产等手段，移送公安机关行政拘留", ["按日连续处罚", "查封扣押", "限制生产、停产整治", "移送行政拘留"]),
    ("未达标城市编制限期达标规划", ["限期达标规划"]),
    # longest match wins
    ("建立健全生态保护补偿机制", ["生态保护补偿"]),
    ("推进生态环境损害赔偿制度改革", ["生态环境损害赔偿"]),
    ("落实环境信息依法披露制度", ["环境信息依法披露"]),
    ("纳入国家企业信用信息公示系统", ["国家企业信用信息公示系统"]),
    ("严格执行环境保护税法", ["环境保护税"]),
    ("实施常态化监督执法正面清单制度", ["监督执法正面清单"]),
    # quote-insensitive, both widths of parentheses and digits
    ("对固定污染源实施“一证式”管理", ["排污许可"]),
    ("充分发挥「12369」环保热线作用", ["12369环保举报热线"]),
    ("全面推行“双随机、一公开”监管", ["双随机一公开"]),
    ("持续深化‘放管服’改革", ["放管服改革"]),
    ("开展排污权抵（质）押融资和排污权抵(质)押融资", ["排污权交易", "排污权交易"]),
    ("拨打１２３６９举报", ["12369环保举报热线"]),
    # vague words are not instruments
    ("加强监测，严格许可，执行标准，强化监管，完善制度", []),
    # a number glued to other digits is not the hotline
    ("编号123690", []),
    # a scheme label that heads a body's name is the body, not the instrument
    ("生态环境综合行政执法机关、公安机关要完善线索通报机制", []),
])
def test_scheme_hits(text, expected):
    assert concepts(text) == expected


def test_hits_carry_ids_and_spans_into_the_given_text():
    text = "（八）严格落实“排污许可”制度。督促企业开展自行监测，推行环保管家。"
    hits = [h for h in find_instruments(text) if not h.candidate]
    assert [h.concept_id for h in hits] == ["discharge_permit", "self_monitoring", "env_steward"]
    for h in hits:
        assert isinstance(h, InstrumentHit)
        assert text[h.start:h.end] == h.surface
        assert normalise_label(h.surface) in load_scheme_labels()
    permit = hits[0]
    assert permit.surface == "排污许可”制度"  # the closing quote inside the span is kept as written
    assert permit.start == text.index("排污许可")


def test_spans_map_back_past_dropped_characters():
    text = "“ 一 证 式 ” 管理，以及 ＰＰＰ 模式"
    hits = find_instruments(text)
    assert [(h.concept, h.surface) for h in hits] == [("排污许可", "一 证 式 ” 管理"), ("政府和社会资本合作", "ＰＰＰ 模式")]
    for h in hits:
        assert text[h.start:h.end] == h.surface


def test_hits_are_in_text_order_and_overlap_only_inside_a_spelled_out_list():
    text = ("建立生态保护红线、环境质量底线、资源利用上线和生态环境准入清单管控体系，"
            "推行“污染者付费+第三方治理”等机制，推动排污权、用能权、碳排放权交易。") * 3
    hits = [h for h in find_instruments(text) if not h.candidate]
    assert [h.concept for h in hits[:6]] == ["生态保护红线", "三线一单", "生态环境准入清单", "污染者付费", "排污权交易", "用能权交易"]
    assert [(h.start, h.end) for h in hits] == sorted((h.start, h.end) for h in hits)
    lists = [h for h in hits if h.concept == "三线一单"]
    for a, b in zip(hits, hits[1:]):
        assert a.end <= b.start or any(x.start <= b.start and b.end <= x.end for x in lists)


def test_empty_and_plain_text():
    assert find_instruments("") == []
    assert find_instruments("到2025年，生态环境质量持续改善。") == []


# --------------------------------------------------------------------------- candidates

@pytest.mark.parametrize("text, expected", [
    ("建立秸秆焚烧有奖举报制度", ["秸秆焚烧有奖举报制度"]),
    ("探索建立农村生活污水设施运维评价制度。", ["农村生活污水设施运维评价制度"]),
    ("推行治污设施第三方评估制度", ["治污设施第三方评估制度"]),
    ("健全生态环境司法保障联席会议制度", ["生态环境司法保障联席会议制度"]),
    ("建立完善生态环境监管尽职免责机制", ["生态环境监管尽职免责机制"]),
    ("推行“环保码”分级管理名录，", ["环保码分级管理名录"]),
    ("设立生态修复专项基金和绿色技术创新基金", ["生态修复专项基金", "绿色技术创新基金"]),
])
def test_candidates_for_novel_instruments(text, expected):
    assert candidates(text) == expected


def test_candidate_is_flagged_and_spans_the_name():
    text = "各地要建立秸秆焚烧有奖举报制度。"
    cand = [h for h in find_instruments(text) if h.candidate]
    assert len(cand) == 1
    h = cand[0]
    assert h.concept_id is None and h.surface == "秸秆焚烧有奖举报制度"
    assert text[h.start:h.end] == h.surface
    # the scheme instrument it specialises is reported too
    assert "举报奖励制度" in concepts(text)


@pytest.mark.parametrize("text", [
    "加快补齐环境治理体制机制短板",
    "建立健全长效机制",
    "完善工作机制，健全管理制度",
    "建立部门间信息发布工作机制",
    "强化协调机制和联动机制",
    "建立市领导包案整改和第三方整改监督评估等机制",
    "健全公众参与制度",
    "严格控制用水总量，加强大气污染物排放控制",
    "研究制定具体办法，组织编制规划",
    "制定目标清单和任务清单",
    "精简整合相关专项考核",
])
def test_generic_phrases_are_not_candidates(text):
    assert candidates(text) == []


@pytest.mark.parametrize("text, bad", [
    # the phrase before a particle, classifier or pronoun is cut off, and what is left is no name (MEE notices)
    ("会议建立了跟踪机制", "了跟踪机制"),
    ("全省14个行业排污单位清单已公布", "个行业排污单位清单"),
    ("核电厂应遵守其运行许可证的要求", "遵守其运行许可证"),
    ("为下一步排污权交易制度建设打基础", "为下一步排污权交易制度"),
])
def test_a_candidate_does_not_start_inside_a_clause(text, bad):
    assert bad not in candidates(text)


def test_candidates_leave_out_scheme_instruments_and_their_scope():
    # the scheme label is the hit; a scope word or a place does not make a new instrument
    assert candidates("建立排污企业黑名单制度") == []
    assert candidates("建立排污企业“红黑”名单制度") == []
    assert candidates("建立健全自治区生态环境保护督察制度") == []
    assert candidates("建立健全市场化、多元化生态保护补偿机制") == []
    assert candidates("加强固定污染源排污许可证管理") == []
    # …and a phrase that merely continues a scheme instrument is not one either
    assert candidates("建立中央和省生态环境保护督察整改工作常态化制度") == []


def test_candidate_names_are_4_to_14_hanzi():
    long = "建立" + "甲乙丙丁戊己庚辛壬癸子丑寅卯辰" + "制度"
    assert candidates(long) == []
    assert candidates("建立山林巡护制度") == ["山林巡护制度"]


def test_candidates_can_be_switched_off():
    assert all(not h.candidate for h in find_instruments("建立秸秆焚烧有奖举报制度", candidates=False))


# --------------------------------------------------------------------------- speed

def test_one_megabyte_in_one_pass():
    """Every repetition of a paragraph is found in a megabyte of text (its speed: bench/components.py)."""
    para = ("（十五）完善监管机制。加快建立“三线一单”生态环境分区管控体系。全面推行“双随机、一公开”监管，"
            "建立秸秆焚烧有奖举报制度，推进排污权交易和环境污染强制责任保险，强化在线监控。"
            "各级党委和政府要高度重视，统筹推进各项工作，确保取得实效。\n")
    text = (para * (1_000_000 // len(para) + 1))[:1_000_000]
    hits = find_instruments(text)
    assert len(hits) > 5 * (1_000_000 // len(para))


# --------------------------------------------------------------------------- the vocabulary files

def test_scheme_rows_are_well_formed():
    rows = scheme()
    assert 150 <= len(rows) <= 250
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert len({r["prefLabel"] for r in rows}) == len(rows)
    known = set(ids)
    for r in rows:
        assert r["id"].isascii() and r["id"].replace("_", "").isalnum(), r["id"]
        assert r["type"] in TYPES, r
        assert r["pine"] == "" or (r["pine"] in PINE_TYPES and r["type"] == "market"), r
        assert r["nato"] in NATO_RESOURCES, r
        assert r["system"] == "" or r["system"] in GOVERNANCE_SYSTEMS, r
        assert r["broader"] == "" or (r["broader"] in known and r["broader"] != r["id"]), r
    assert {r["type"] for r in rows} == set(TYPES)


def test_pref_labels_are_safe_iri_segments():
    # instrument IRIs keep the label as written (MODEL.md); kg/rdf.py and make_instruments must agree on them
    unsafe = set(' <>"{}|\\^`#?%\t\n\u3000/')
    assert [r["prefLabel"] for r in scheme() if unsafe & set(r["prefLabel"])] == []


def test_every_label_belongs_to_one_concept():
    # load_scheme_labels raises on a label shared by two concepts; every label maps back to its row
    labels = load_scheme_labels()
    for r in scheme():
        for label in (r["prefLabel"], *r["altLabels"]):
            assert labels[normalise_label(label)]["id"] == r["id"]


def test_gold_canonical_names_are_preferred_labels():
    gold = ROOT.parent / "shared" / "gold" / "instruments.tsv"
    if not gold.exists():
        pytest.skip("no gold catalogue next to the repository")
    names = [line.split("\t")[0] for line in gold.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    pref = {r["prefLabel"] for r in scheme()}
    assert [n for n in names if n not in pref] == []


def test_no_vague_labels():
    vague = {"监测", "许可", "标准", "监管", "制度", "机制", "考核", "评价", "清单", "交易", "基金", "保险", "审计",
             "信用", "执法", "督察", "补偿", "规划", "河长", "林长", "绿色金融", "清洁生产", "垃圾分类"}
    assert vague.isdisjoint(load_scheme_labels())


def test_suffix_and_stopword_files_parse():
    suffixes = load_lines("instrument_suffixes.txt")
    assert {"制度", "机制", "交易", "基金", "保险", "热线", "债券", "清单"} <= {s.split()[0] for s in suffixes}
    stop = load_lines("instrument_stopwords.txt")
    assert "体制机制" in stop and "<建立" in stop


# --------------------------------------------------------------------------- the generated SKOS scheme

def test_instruments_ttl_is_up_to_date():
    built = build_scheme_graph()
    on_disk = Graph().parse(OUTPUT, format="turtle")
    assert isomorphic(built, on_disk), "ontology/instruments.ttl is stale: run python -m ontology.make_instruments"
    assert OUTPUT.read_text(encoding="utf-8") == serialise(built)


def test_scheme_graph_follows_the_model():
    g = build_scheme_graph()
    rows = scheme()
    by_id = {r["id"]: r for r in rows}
    in_scheme = set(g.subjects(SKOS.inScheme, EGOV.InstrumentScheme))
    assert len(in_scheme) == len(rows)
    for r in rows:
        c = instrument_iri(r["prefLabel"])
        assert c in in_scheme
        assert str(c) == "https://w3id.org/envgov-kg/id/instrument/" + r["prefLabel"]
        assert {str(x) for x in g.objects(c, SKOS.notation)} == {r["id"]}
        assert [(x.value, x.language) for x in g.objects(c, SKOS.prefLabel)] == [(r["prefLabel"], "zh")]
        assert {x.value for x in g.objects(c, SKOS.altLabel)} == set(r["altLabels"])
        assert len(list(g.objects(c, EGOV.instrumentType))) == 1
        if r["broader"]:
            b = instrument_iri(by_id[r["broader"]]["prefLabel"])
            assert (c, SKOS.broader, b) in g and b in in_scheme
        else:
            assert (c, SKOS.topConceptOf, EGOV.InstrumentScheme) in g
    # the classification concepts exist, with zh and en labels
    for scheme_iri, n in ((EGOV.InstrumentTypeScheme, 4), (EGOV.PineTypeScheme, 7), (EGOV.NatoResourceScheme, 4)):
        tops = set(g.objects(scheme_iri, SKOS.hasTopConcept))
        assert len(tops) == n
        for t in tops:
            assert {x.language for x in g.objects(t, SKOS.prefLabel)} == {"zh", "en"}
    used = set(g.objects(None, EGOV.instrumentType)) | set(g.objects(None, EGOV.pineType)) | \
        set(g.objects(None, EGOV.natoResource))
    defined = set(g.subjects(SKOS.topConceptOf, None))
    assert used <= defined


def test_scheme_merges_cleanly_with_the_ontology():
    envgov = ROOT / "ontology" / "envgov.ttl"
    if not envgov.exists():
        pytest.skip("ontology/envgov.ttl not present")
    merged = Graph().parse(envgov, format="turtle")
    merged += build_scheme_graph()
    # at most one skos:prefLabel per language for every subject (the schemes are declared in both files)
    for s in set(merged.subjects(SKOS.prefLabel, None)):
        langs = [x.language for x in merged.objects(s, SKOS.prefLabel)]
        assert len(langs) == len(set(langs)), s


def test_build_is_deterministic():
    a, b = build_scheme_graph(), build_scheme_graph()
    assert serialise(a) == serialise(b)
    assert to_isomorphic(a) == to_isomorphic(b)


def test_bad_rows_are_rejected():
    row = dict(scheme()[0])
    with pytest.raises(ValueError, match="broader"):
        build_scheme_graph([dict(row, broader="no_such_id")])
    with pytest.raises(ValueError, match="type"):
        build_scheme_graph([dict(row, type="regulatory")])
    with pytest.raises(ValueError, match="duplicate"):
        build_scheme_graph([row, dict(row)])


def test_graph_layer_mints_the_same_instrument_iris():
    # mentions written by kg/rdf.py must point at the concepts of ontology/instruments.ttl
    rdf = pytest.importorskip("kg.rdf")
    for r in scheme():
        assert rdf.instrument_iri(r["prefLabel"]) == instrument_iri(r["prefLabel"]), r["prefLabel"]


def test_a_name_written_with_he_or_yu_is_the_same_instrument():
    """Policy prose writes 与 and 和 alike inside a name (行政执法与/和刑事司法衔接)."""
    labels = load_scheme_labels()
    with_yu = [k for k in labels if "与" in k]
    assert with_yu, "the scheme has names with 与"
    for k in with_yu:
        assert labels[k.replace("与", "和")]["id"] == labels[k]["id"]


def test_a_spelled_out_list_names_each_instrument_unless_it_defines_a_short_name():
    listed = find_instruments("强化生态保护红线、环境质量底线、资源利用上线和生态环境准入清单硬约束。")
    assert [h.concept for h in listed] == ["生态保护红线", "三线一单", "生态环境准入清单"]
    assert listed[0].surface == "生态保护红线"
    defined = find_instruments("加快生态保护红线、环境质量底线、资源利用上线和生态环境准入清单「三线一单」实施应用。")
    assert {h.concept for h in defined} == {"三线一单"}


@pytest.mark.parametrize("text, surface", [
    ("编制政务服务指南，公开生态环境监测数据。", "公开生态环境监测数据"),
    ("依法公开土壤环境质量信息。", "公开土壤环境质量信息"),
    ("督促企业公开电磁辐射环境监测数据信息、开展科普宣传。", "公开电磁辐射环境监测数据"),
])
def test_disclosure_written_as_verb_and_object(text, surface):
    assert [(h.concept, h.surface) for h in find_instruments(text)] == [("环境信息依法披露", surface)]


@pytest.mark.parametrize("text", ["公开曝光各类生态环境违法行为。", "向社会公开征求意见。", "公开招标选择运维单位。"])
def test_other_things_made_public_are_no_disclosure(text):
    assert [h.concept for h in find_instruments(text) if not h.candidate] == []


def test_a_label_wins_over_a_pattern():
    assert [h.concept for h in find_instruments("公开排污许可证信息。")] == ["排污许可"]
