"""Turn files (text, HTML, JSON, JSONL) into Articles."""

from parallax.ingest.files import IngestOptions, IngestResult, read_file, read_files

__all__ = ["IngestOptions", "IngestResult", "read_file", "read_files"]
