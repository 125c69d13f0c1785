"""The spaCy mention stage runs on a copy of the document's parser, in a second
process for a long text (issue 12 item 5): the records are the same whether it
runs there or here, and a lost process loses nothing."""
from __future__ import annotations

import multiprocessing
import os

import pytest

import extract.nlp as nlp
from extract.bodies import BodyParser, make_context
from extract.pipeline import extract_file
from kg.build import SAMPLE_CORPUS

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods() or nlp._may_fork() is False,
                                reason="no second CPU or no fork() here: the stage runs in the caller")


def _records(doc):
    return [(o.ordinal, o.mentions, o.owners, o.instruments) for o in doc.obligations], doc.relations


@pytest.fixture
def sample():
    return max(SAMPLE_CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)


@needs_fork
def test_mentions_found_in_a_second_process_equal_those_found_here(sample, monkeypatch):
    here = _records(extract_file(sample))
    monkeypatch.setattr(nlp, "PARALLEL_CHARS", 1000)
    started = []
    real = nlp.PendingMentions.__init__

    def spy(self, text, parser, side=None):
        real(self, text, parser, side)
        started.append(self._process is not None)

    monkeypatch.setattr(nlp.PendingMentions, "__init__", spy)
    there = _records(extract_file(sample))
    assert started == [True], "the long text was read in a second process"
    assert there == here
    assert any(m for _, m, _, _ in there[0]), "the sample names bodies in running text"


@needs_fork
def test_a_lost_process_is_made_good_here(monkeypatch):
    monkeypatch.setattr(nlp, "PARALLEL_CHARS", 10)
    ctx = make_context("漳州市", "")
    text = "市生态环境局会同市发展改革委负责。" * 3
    expected = nlp.body_mentions([text], BodyParser(make_context("漳州市", "")))[0]
    pending = nlp.start_body_mentions(text, BodyParser(ctx))
    pending._process.kill()  # as the kernel's OOM killer would
    pending._process.join()
    assert [(b.name, s, e) for b, s, e in pending()] == [(b.name, s, e) for b, s, e in expected]
    assert expected


@needs_fork
def test_the_side_task_runs_in_the_second_process_or_is_made_good_here(monkeypatch):
    monkeypatch.setattr(nlp, "PARALLEL_CHARS", 10)
    text = "市生态环境局负责排污许可。" * 3
    parent = os.getpid()
    there = nlp.start_body_mentions(text, BodyParser(make_context("漳州市", "")), side=os.getpid)
    assert there.side() not in (parent, None), "it ran in the mention process"
    lost = nlp.start_body_mentions(text, BodyParser(make_context("漳州市", "")), side=os.getpid)
    lost._process.kill()
    lost._process.join()
    assert lost.side() == parent, "a lost process's side task is run here"
    assert nlp.start_body_mentions(text, BodyParser(make_context("漳州市", ""))).side() is None


@needs_fork
def test_close_leaves_no_process(monkeypatch):
    monkeypatch.setattr(nlp, "PARALLEL_CHARS", 10)
    pending = nlp.start_body_mentions("市生态环境局负责。" * 50_000, BodyParser(make_context("漳州市", "")))
    process = pending._process
    pending.close()
    assert not process.is_alive()


def test_the_stage_does_not_change_the_callers_parser():
    parser = BodyParser(make_context("漳州市", ""))
    before = (dict(parser.seen), dict(parser.ctx.surfaces))
    found = nlp.start_body_mentions("龙海区生态环境局和市自然资源局负责。", parser)()
    assert found
    assert (parser.seen, parser.ctx.surfaces) == before
