"""Model files and the one reader of every input.

- :mod:`~layermodel.model.io.source`: a file's bytes to text, with the refusals every
  input gets (missing, a directory or device, too large, not text);
- :mod:`~layermodel.model.io.parse`: text to plain data, YAML (single or several
  documents) or JSON, safely, refusing alias bombs, duplicate keys, unknown tags and
  deep nesting with their line and column;
- :mod:`~layermodel.model.io.positions`: where each value sits, for messages;
- :mod:`~layermodel.model.io.reader`: the two steps in one call;
- :mod:`~layermodel.model.io.atomic`: writing a file so a failure leaves the old one;
- :mod:`~layermodel.model.io.model_files`: model files, read, merged and written;
- :mod:`~layermodel.model.io.git`: a model file as it was at a git revision.
"""

from layermodel.model.io.atomic import write_atomic
from layermodel.model.io.git import display_name, load_at, read_at
from layermodel.model.io.model_files import (
    FORMAT_VERSION,
    ModelFile,
    ParsedFile,
    dumps,
    load,
    loads,
    loads_files,
    merge_files,
    parse_file,
    save,
)
from layermodel.model.io.parse import Document, Format, format_of, parse, parse_documents
from layermodel.model.io.reader import read_document, read_documents, reading_once
from layermodel.model.io.source import Source, decode, read_source

__all__ = [
    "FORMAT_VERSION",
    "Document",
    "Format",
    "ModelFile",
    "ParsedFile",
    "Source",
    "decode",
    "display_name",
    "dumps",
    "format_of",
    "load",
    "load_at",
    "loads",
    "loads_files",
    "merge_files",
    "parse",
    "parse_documents",
    "parse_file",
    "read_at",
    "read_document",
    "read_documents",
    "read_source",
    "reading_once",
    "save",
    "write_atomic",
]
