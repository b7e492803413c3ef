"""The index as a LangChain retriever: LangChain's own standard retriever tests, and a chain on it."""

from __future__ import annotations

import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from conftest import EXAMPLE_DOCS
from langchain_tests.integration_tests import RetrieversIntegrationTests

from jupyter_docchat import DocIndex
from jupyter_docchat.retriever import DocIndexRetriever


@lru_cache(maxsize=1)
def example_store() -> Path:
    """The example documents indexed once for this module (the standard tests build the retriever
    from plain constructor parameters, so the store must exist before any fixture runs)."""
    root = Path(tempfile.mkdtemp(prefix="docchat-retriever-"))
    shutil.copytree(EXAMPLE_DOCS, root / "docs")
    DocIndex(root / "store").update(root / "docs")
    return root / "store"


class TestDocIndexRetrieverStandard(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[DocIndexRetriever]:
        return DocIndexRetriever

    @property
    def retriever_constructor_params(self) -> dict:
        return {"store": str(example_store()), "k": 2}

    @property
    def retriever_query_example(self) -> str:
        return "What is the standard deposit insurance amount?"


def test_documents_carry_where_they_came_from_and_a_chain_runs_on_them() -> None:
    from langchain_core.runnables import RunnableLambda

    retriever = DocIndex(example_store()).as_retriever(k=3)
    docs = retriever.invoke("Bank Term Funding Program")
    assert len(docs) == 3 and docs[0].metadata["source"] == "regulators_response.html"
    assert {"source", "page", "lines", "heading", "score"} <= set(docs[0].metadata)
    assert docs[0].metadata["lines"][0] >= 1 and docs[0].metadata["score"] > 0
    chain = retriever | RunnableLambda(lambda found: "; ".join(d.metadata["source"] for d in found))
    assert "regulators_response.html" in chain.invoke("Who bought the bank's deposits?")
    lexical = DocIndex(example_store()).as_retriever(k=1, mode="lexical").invoke("deposit insurance")
    assert len(lexical) == 1
