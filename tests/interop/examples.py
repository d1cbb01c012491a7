"""Every example model in the repository, for export tests: each YAML file under
src/layermodel/model/examples and examples/ that is a whole model, and each fragment (such as
a new product) loaded together with the whole model beside it."""

from __future__ import annotations

from pathlib import Path

import layermodel as lm
from tests.conftest import EXAMPLES, REPO

DATA = REPO / "src" / "layermodel" / "model" / "examples"


def example_models() -> list[tuple[str, lm.Ecosystem]]:
    # rules.yaml files are layer rules for an importer, not models, and source/ folders
    # hold the real-world files an example discovers or checks drift against.
    files = sorted(
        p
        for p in [*DATA.glob("*.yaml"), *EXAMPLES.rglob("*.yaml")]
        if p.name != "rules.yaml" and "source" not in p.relative_to(REPO).parts
    )
    whole: dict[Path, lm.Ecosystem] = {}
    fragments: list[Path] = []
    for path in files:
        try:
            whole[path] = lm.load(path)
        except lm.ModelError:
            fragments.append(path)
    out = [(str(path.relative_to(REPO)), eco) for path, eco in whole.items()]
    for fragment in fragments:
        bases = [p for p in whole if p.parent == fragment.parent]
        assert bases, f"{fragment} is neither a model nor a fragment of one beside it"
        out.append((str(fragment.relative_to(REPO)), lm.load(bases[0], fragment)))
    return out
