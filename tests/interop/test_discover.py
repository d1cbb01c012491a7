"""``layermodel discover``: each file's kind recognised, every source imported and
merged into one model, the same object found twice counted once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from layermodel.errors import InputError
from layermodel.interop import discover, import_compose, import_kubernetes
from layermodel.interop.discover import kind_of
from layermodel.interop.discovery import DiscoveryResult
from tests.conftest import SHARED_FIXTURES

REALWORLD = SHARED_FIXTURES / "realworld"


def shape(result: DiscoveryResult) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """What a model says, provenance aside: each component's layer, and the edges."""
    eco = result.ecosystem
    return (
        {c.id: c.layer for c in eco.components},
        {(c.id, d.target) for c in eco.components for d in c.depends_on},
    )


def test_the_same_objects_twice_give_the_model_of_one_import() -> None:
    """online-boutique holds every object twice: the release manifest and the
    per-service manifests (with their kustomization)."""
    both = discover(REALWORLD / "online-boutique")
    one = import_kubernetes(REALWORLD / "online-boutique" / "release" / "kubernetes-manifests.yaml")
    assert shape(both) == shape(one)
    assert len(both.ecosystem.components) == 12
    assert both.duplicates == 11  # loadgenerator is only in the release manifest
    assert any("shoppingassistantservice" in p.message for p in both.problems)


def test_several_sources_merge_into_one_component_each(tmp_path: Path) -> None:
    """sock-shop's compose file and its Kubernetes manifests name the same services:
    each is one component, with a provenance record from each source."""
    result = discover(REALWORLD / "sock-shop")
    eco = result.ecosystem
    compose = import_compose(
        REALWORLD / "sock-shop" / "deploy" / "docker-compose" / "docker-compose.yml"
    )
    kube = import_kubernetes(REALWORLD / "sock-shop" / "deploy" / "kubernetes")
    ids = {c.id for c in eco.components}
    assert ids == {c.id for c in compose.ecosystem.components} | {
        c.id for c in kube.ecosystem.components
    }
    user = eco.component("user")
    assert {p.source for p in user.provenance} == {"compose", "kubernetes"}
    edges = shape(result)[1]
    assert shape(compose)[1] | shape(kube)[1] == edges
    assert result.imported["compose service"] == 15
    assert result.imported["kubernetes Deployment"] == 14


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("sock-shop/deploy/docker-compose/docker-compose.yml", "compose"),
        ("otel-demo/compose.full.yaml", "compose"),
        ("online-boutique/release/kubernetes-manifests.yaml", "kubernetes"),
        ("online-boutique/kubernetes-manifests/kustomization.yaml", "kustomization"),
        ("structurizr-examples/dsl/big-bank-plc/workspace.dsl", "structurizr"),
        ("structurizr-examples/json/big-bank-plc/workspace.json", "structurizr"),
        ("backstage-demo/catalog-info.yaml", "backstage"),
        ("otel-demo/.env", "env"),
        ("deathstarbench/hotelReservation/config.json", "unknown"),
        ("online-boutique/kubernetes-manifests/README.md", "unknown"),
    ],
)
def test_each_file_kind_is_recognised(path: str, kind: str) -> None:
    assert kind_of(REALWORLD / path) == kind


def test_traces_and_likec4_json_are_recognised(tmp_path: Path) -> None:
    (tmp_path / "links.json").write_text('[{"parent": "a", "child": "b", "callCount": 3}]')
    (tmp_path / "otlp.jsonl").write_text('{"resourceSpans": []}\n{"resourceSpans": []}\n')
    (tmp_path / "likec4.json").write_text('{"elements": {}, "relations": {}}')
    assert kind_of(tmp_path / "links.json") == "traces"
    assert kind_of(tmp_path / "otlp.jsonl") == "traces"
    assert kind_of(tmp_path / "likec4.json") == "likec4"


def test_a_named_file_of_no_known_kind_is_refused(tmp_path: Path) -> None:
    notes = tmp_path / "notes.yaml"
    notes.write_text("shopping: [milk, eggs]\n")
    with pytest.raises(InputError) as caught:
        discover(notes)
    (problem,) = caught.value.problems
    assert problem.file == str(notes) and problem.line == 1
    assert "not a kind of file discover reads" in problem.message


def test_a_named_file_that_cannot_be_read_gives_its_own_problem(tmp_path: Path) -> None:
    bad = tmp_path / "compose.yaml"
    bad.write_text("services:\n  web:\n    image: a\n    image: b\n")
    with pytest.raises(InputError) as caught:
        discover(bad)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(bad), 4)
    assert "duplicate key 'image'" in problem.message


def test_in_a_folder_unreadable_files_are_reported_and_left_out(tmp_path: Path) -> None:
    shutil.copy(
        REALWORLD / "sock-shop" / "deploy" / "docker-compose" / "docker-compose.yml", tmp_path
    )
    (tmp_path / "broken.yaml").write_text("a: [1, 2\n")
    (tmp_path / "values.yaml").write_text("replicas: 3\n")  # of no known kind
    result = discover(tmp_path)
    assert len(result.ecosystem.components) == 15
    (problem,) = [p for p in result.problems if p.file == str(tmp_path / "broken.yaml")]
    assert problem.message.startswith("left out, it cannot be read:") and problem.line == 2
    assert result.skipped["files of no known kind"] == 2  # broken.yaml and values.yaml


def test_nothing_to_discover_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# nothing here\n")
    with pytest.raises(InputError, match="no file of a kind discover reads"):
        discover(tmp_path)


def test_backstage_components_are_placed_in_their_own_file_and_line(tmp_path: Path) -> None:
    """Each Backstage component's provenance names the file and line of its entity,
    not the first catalog file read."""
    entity = (
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: {name}\n"
        "spec:\n  type: service\n  lifecycle: production\n  owner: team\n{more}"
    )
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "catalog-info.yaml").write_text(
        entity.format(name="alpha", more="  dependsOn: [component:beta]\n")
    )
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "catalog-info.yaml").write_text(
        "# two entities\n"
        + entity.format(name="gamma", more="")
        + "---\n"
        + entity.format(name="beta", more="")
    )
    eco = discover(tmp_path).ecosystem
    where = {
        c.id: (Path(c.provenance[0].file).parent.name, c.provenance[0].line) for c in eco.components
    }
    assert where == {"alpha": ("a", 1), "gamma": ("b", 2), "beta": ("b", 11)}
    (dep,) = eco.component("alpha").depends_on
    assert (Path(dep.provenance[0].file).parent.name, dep.provenance[0].line) == ("a", 1)
