"""What makes two articles one: a canonical URL, and near-identical text by MinHash over word shingles.

MinHashLSH (datasketch) finds candidate near-copies in sub-linear time instead of comparing a new
article with every stored one; each candidate is then checked against the Jaccard threshold with its
signature. Costs grow linearly with `num_perm` (signature bytes, hashing time); a higher threshold
misses lightly edited copies, a lower one starts to join different reports that share wire copy.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

import numpy as np
from courlan import normalize_url
from datasketch import LeanMinHash, MinHash, MinHashLSH

__all__ = ["NearDuplicateIndex", "canonical_url", "signature", "signature_from_bytes", "text_hash"]

_WORD = re.compile(r"\w+", re.UNICODE)
_SEED = 1
_SCHEME = "affine32"  # datasketch 2's hashing; stored signatures are only comparable under the same one


def text_hash(text: str) -> str:
    """SHA-256 of the text as stored: the key of exact copies and of the cache."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_url(url: str | None) -> str | None:
    """The URL with scheme and host lower-cased, default port, fragment and tracking parameters
    (utm_*, fbclid, gclid, ...) removed and the query sorted; None for anything but http(s)."""
    if not url or not url.strip():
        return None
    try:
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        normal = urlsplit(normalize_url(url.strip()))
    except ValueError:  # a malformed port or host: no canonical form, so no URL match
        return None
    return urlunsplit(normal._replace(fragment=""))


def signature(text: str, *, num_perm: int, shingle_words: int) -> LeanMinHash:
    """MinHash of the text's lower-cased word shingles (a text shorter than one shingle is one shingle)."""
    words = _WORD.findall(text.lower())
    k = max(1, min(shingle_words, len(words)))
    shingles = {" ".join(words[i : i + k]).encode("utf-8") for i in range(max(1, len(words) - k + 1))}
    minhash = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch(list(shingles))
    return LeanMinHash(minhash)


def signature_bytes(sig: LeanMinHash) -> bytes:
    """The signature as stored: its hash values, uint32 little-endian."""
    return np.asarray(sig.hashvalues, dtype="<u4").tobytes()


def signature_from_bytes(data: bytes) -> LeanMinHash:
    """A stored signature back as a MinHash that compares with new ones."""
    return LeanMinHash(seed=_SEED, hashvalues=np.frombuffer(data, dtype="<u4"), scheme=_SCHEME)


class NearDuplicateIndex:
    """MinHashLSH over stored signatures: keys of articles whose text may be a near copy of a new one.

    Only the LSH buckets are held in memory (about `num_perm` / rows-per-band entries per article);
    the caller checks each candidate's Jaccard estimate with its stored signature.
    """

    def __init__(self, *, threshold: float, num_perm: int, items: Iterable[tuple[int, bytes]] = ()) -> None:
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        for key, data in items:
            self.add(key, signature_from_bytes(data))

    def add(self, key: int, sig: LeanMinHash) -> None:
        self._lsh.insert(key, sig, check_duplication=False)

    def candidates(self, sig: LeanMinHash) -> list[int]:
        return sorted(self._lsh.query(sig))
