"""The scoring contract: score.py on the sample corpus keeps its thresholds.

Uses the answer key in ../shared/gold, which CI has and a fresh clone may not:
without it these tests skip with the reason.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "gold"

pytestmark = pytest.mark.skipif(not (GOLD / "score.py").exists(),
                                reason="answer key ../shared/gold/score.py not present (CI provides it)")


@pytest.fixture(scope="module")
def scores(sample_store, tmp_path_factory):
    from kg.export import export_json

    out = tmp_path_factory.mktemp("score") / "export.json"
    out.write_text(json.dumps(export_json(sample_store), ensure_ascii=False), encoding="utf-8")
    res = subprocess.run([sys.executable, str(GOLD / "score.py"), str(out), "--json"], capture_output=True, text=True, check=True)
    return json.loads(res.stdout)


def test_obligations(scores):
    assert scores["obligations"]["f1"] >= 0.95


def test_owners(scores):
    assert scores["owners"]["f1"] >= 0.95
    assert scores["owner_role_accuracy"] >= 0.90


def test_document_fields(scores):
    assert scores["document_fields"]["title"] >= 0.8
    assert scores["document_fields"]["jurisdiction"] >= 0.9
    assert scores["document_fields"]["implements"] >= 0.8


def test_relations_and_deadlines(scores):
    assert scores["relation_reportsTo"]["f1"] >= 0.85
    assert scores["deadline_recall"] >= 0.9


def test_instruments(scores):
    if scores["instruments"]["tp"] == 0:
        pytest.skip("no instrument scheme extracted yet")
    assert scores["instruments"]["f1"] >= 0.80


# The two further answer keys (issue 10): layouts the sample lacks, and real documents nobody on the project
# wrote. Goals per key: owners F1, obligations F1, document jurisdiction.
SHARED = GOLD.parent
KEYS = {
    "layouts": (SHARED / "layouts" / "corpus", SHARED / "layouts" / "gold", 0.90, 0.93),
    "realdev": (SHARED / "realdev" / "corpus", SHARED / "realdev" / "gold", 0.85, 0.90),
}


@pytest.fixture(scope="module", params=sorted(KEYS))
def key_scores(request, tmp_path_factory):
    from kg.build import build
    from kg.export import export_json
    from kg.store import open_store

    corpus, gold, owners_goal, obligations_goal = KEYS[request.param]
    if not (gold / "obligations.jsonl").exists():
        pytest.skip(f"answer key {gold} not present (CI provides it)")
    tmp = tmp_path_factory.mktemp(request.param)
    st = open_store(tmp / "store", read_only=False)
    try:
        build([corpus], st)
        out = tmp / "export.json"
        out.write_text(json.dumps(export_json(st), ensure_ascii=False), encoding="utf-8")
    finally:
        st.close()
    res = subprocess.run([sys.executable, str(GOLD / "score.py"), str(out), "--gold", str(gold), "--json"],
                         capture_output=True, text=True, check=True)
    return request.param, json.loads(res.stdout), owners_goal, obligations_goal


def test_other_keys_meet_their_goals(key_scores):
    name, scores, owners_goal, obligations_goal = key_scores
    assert scores["owners"]["f1"] >= owners_goal, name
    assert scores["obligations"]["f1"] >= obligations_goal, name
    assert scores["document_fields"]["jurisdiction"] >= 0.9, name
