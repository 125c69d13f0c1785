"""Fixtures of the graph-layer tests: the shared sample store under the names they use."""
import pytest


@pytest.fixture(scope="session")
def store_path(sample_store_path):
    return sample_store_path


@pytest.fixture(scope="session")
def store(sample_store):
    return sample_store
