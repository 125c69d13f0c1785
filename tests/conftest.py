"""Shared fixtures: the sample corpus built once per session into a real store."""
from __future__ import annotations

from pathlib import Path

import pytest



@pytest.fixture(scope="session")
def sample_store_path(tmp_path_factory) -> Path:
    from kg.build import SAMPLE_CORPUS, build
    from kg.store import open_store

    path = tmp_path_factory.mktemp("store") / "kg-store"
    st = open_store(path, read_only=False)
    try:
        build([SAMPLE_CORPUS], st)
    finally:
        st.close()
    return path


@pytest.fixture(scope="session")
def sample_store(sample_store_path):
    from kg.store import open_store

    st = open_store(sample_store_path, read_only=True)
    yield st
    st.close()

