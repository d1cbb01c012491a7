"""The import and export commands: outputs, stdout, exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import layermodel as lm
from layermodel.cli import main
from tests.conftest import SHARED_FIXTURES

CATALOG = SHARED_FIXTURES / "backstage" / "examples"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out, captured.err


@pytest.mark.skipif(
    not CATALOG.is_dir(), reason=f"the Backstage example catalog is not at {CATALOG}"
)
def test_import_the_example_catalog_then_validate_it(capsys, tmp_path: Path) -> None:
    model = tmp_path / "model.yaml"
    code, _, err = run(
        capsys,
        "import",
        "backstage",
        str(CATALOG / "all.yaml"),
        "-o",
        str(model),
        "--product-systems",
        "ALL",
    )
    assert code == 0, err
    assert "Imported: 10 API, 13 Component, 1 Resource, 3 System" in err
    assert "Skipped by kind: 3 AiResource, 3 Domain, 7 Location." in err
    code, out, _ = run(capsys, "validate", str(model))
    assert code == 0 and "24 components" in out and "3 products" in out


def test_export_backstage_and_import_it_back(capsys, write, tmp_path: Path) -> None:
    model = write("g.yaml", lm.example_text())
    catalog = tmp_path / "catalog-info.yaml"
    assert run(capsys, "export", "backstage", str(model), "-o", str(catalog))[0] == 0
    back = tmp_path / "back.json"
    code, out, _ = run(capsys, "import", "backstage", str(catalog), "-o", str(back))
    assert code == 0 and out == ""
    assert json.loads(back.read_text())["name"] == "Google"
    assert lm.load(back) == lm.example()


def test_dash_writes_to_stdout(capsys, write) -> None:
    model = write("g.yaml", lm.example_text())
    code, out, _ = run(capsys, "export", "backstage", str(model), "-o", "-")
    assert code == 0 and len(list(yaml.safe_load_all(out))) == 24
    code, out, _ = run(capsys, "export", "archimate", str(model))
    assert code == 0 and out.startswith("<?xml")
    code, out, _ = run(capsys, "export", "wardley", str(model), "--product", "maps")
    assert code == 0 and out.startswith("title Google: Google Maps")
    one = write(
        "c.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: web}\n"
        "spec: {type: website, owner: a, lifecycle: production}\n",
    )
    code, out, err = run(capsys, "import", "backstage", str(one), "-o", "-")
    assert code == 0 and out.startswith("layermodel: 1") and "Read 1 entity from 1 file." in err
    empty = write("e.yaml", "")
    code, out, err = run(capsys, "import", "backstage", str(empty), "-o", "-")
    assert code == 2 and out == "" and f"{empty}:1: the file has no content" in err


def test_export_jsonschema_is_the_model_file_schema(capsys, tmp_path: Path) -> None:
    target = tmp_path / "layermodel.schema.json"
    code, _, err = run(capsys, "export", "jsonschema", "-o", str(target))
    assert code == 0 and f"wrote {target}" in err
    assert json.loads(target.read_text()) == lm.model_file_schema()


def test_input_errors_exit_2_with_file_and_line(capsys, write, tmp_path: Path) -> None:
    bad = write("bad.yaml", "kind: Component\nmetadata: {name: [\n")
    code, _, err = run(capsys, "import", "backstage", str(bad), "-o", str(tmp_path / "m.yaml"))
    assert code == 2 and f"{bad}:3:1: YAML syntax error" in err
    assert not (tmp_path / "m.yaml").exists()
    good = write(
        "ok.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a}\n"
    )
    rules = write("rules.yaml", "rules:\n  - {layer: uii, when: {kind: Component}}\n")
    code, _, err = run(capsys, "import", "backstage", str(good), "--layer-rules", str(rules))
    assert (
        code == 2
        and f"{rules}:2:" in err
        and "unknown layer 'uii'" in err
        and "did you mean 'ui'" in err
    )
    code, _, err = run(capsys, "import", "backstage", str(good), "--default-layer", "top")
    assert code == 2 and "unknown default layer 'top'" in err
    code, _, err = run(capsys, "import", "backstage", str(tmp_path / "missing"))
    assert code == 2 and "missing: no such file or folder" in err
    code, _, err = run(capsys, "export", "wardley", str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such file" in err
    code, _, err = run(
        capsys, "export", "wardley", str(write("g.yaml", lm.example_text())), "--product", "doc"
    )
    assert code == 2 and "did you mean 'docs'" in err
    assert run(capsys, "export")[0] == 2
    assert run(capsys, "import")[0] == 2
