"""What people install in CI: the pre-commit hooks and the composite GitHub Action."""

from __future__ import annotations

import yaml

from tests.conftest import REPO


def test_pre_commit_hooks() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    by_id = {hook["id"]: hook for hook in hooks}
    assert set(by_id) == {"layermodel-validate", "layermodel-check"}
    assert by_id["layermodel-validate"]["entry"] == "layermodel validate"
    assert by_id["layermodel-check"]["entry"] == "layermodel check"
    for hook in hooks:
        assert hook["language"] == "python" and hook["name"]


def test_the_action_runs_check_and_uploads_sarif() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert action["inputs"]["models"]["required"] is True
    steps = action["runs"]["steps"]
    script = "\n".join(step.get("run", "") for step in steps)
    assert "pip install" in script
    assert 'layermodel check "${args[@]}" --format sarif -o "$SARIF"' in script
    assert action["inputs"]["sarif-file"]["default"] == "layermodel.sarif"
    upload = next(
        s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")
    )
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert all(step.get("shell") == "bash" for step in steps if "run" in step)
