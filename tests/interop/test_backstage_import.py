"""Backstage import: the real example catalog, references, layers, ids and bad input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import layermodel as lm
from layermodel.interop import InputError, LayerRules, import_backstage, read_layer_rules
from tests.conftest import SHARED_FIXTURES

CATALOG = SHARED_FIXTURES / "backstage" / "examples"
needs_catalog = pytest.mark.skipif(
    not CATALOG.is_dir(), reason=f"the Backstage example catalog is not at {CATALOG}"
)


def entity(kind: str, name: str, spec: str = "", meta: str = "") -> str:
    text = f"apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\n"
    if meta:
        text += textwrap.indent(textwrap.dedent(meta), "  ")
    spec = textwrap.dedent(spec)
    written = {line.split(":")[0] for line in spec.splitlines() if line and line[0] != " "}
    text += "spec:\n"
    for key, value in (("owner", "team-a"), ("type", "service"), ("lifecycle", "production")):
        if key not in written:  # a key given in ``spec`` replaces the default
            text += f"  {key}: {value}\n"
    if spec:
        text += textwrap.indent(spec, "  ")
    return text


def catalog(write, *entities: str, name: str = "catalog-info.yaml") -> Path:
    return write(name, "---\n".join(entities))


# -- the real example catalog ----------------------------------------------------------


@needs_catalog
def test_the_example_catalog_imports_with_every_entity_accounted_for() -> None:
    result = import_backstage(CATALOG / "all.yaml")
    assert result.imported == {"API": 10, "Component": 13, "Resource": 1}
    assert result.skipped == {"AiResource": 3, "Domain": 3, "Location": 7, "System": 3}
    assert result.invalid == 0 and result.duplicates == 0
    assert result.entities == 40
    assert len(result.files) == 40
    eco = result.ecosystem
    assert len(eco.components) == 24
    # the API and the component both named wayback-archive both survive
    wayback = eco.component("wayback-archive")
    api = eco.component("wayback-archive-api")
    assert wayback.properties.get("backstage", {}).get("kind") is None
    assert api.properties["backstage"]["kind"] == "API"
    assert api.properties["backstage"]["name"] == "wayback-archive"
    # consumer -> API -> provider
    assert eco.component("wayback-search").targets == ("wayback-archive-api",)
    assert api.targets == ("wayback-archive",)
    assert eco.component("wayback-archive").targets == (
        "wayback-archive-ingestion",
        "wayback-archive-storage",
    )
    assert eco.component("artist-lookup").targets == ("artists-db",)
    assert eco.component("artists-db").layer == "infrastructure"
    assert eco.component("www-artist").layer == "ui"
    assert eco.component("searcher").layer == "algorithms"
    # owner, lifecycle, tags, description and links carried over
    lookup = eco.component("artist-lookup")
    assert (lookup.owner, lookup.lifecycle, lookup.tags) == (
        "team-a",
        "experimental",
        ("java", "data"),
    )
    assert lookup.description == "Artist Lookup"
    assert lookup.links[0] == lm.Link(url="https://example.com/user", title="Examples Users")
    assert lookup.properties["backstage"]["system"] == "artist-engagement-portal"
    # the model is valid as a file, and analyses
    reloaded = lm.loads(lm.dumps(eco))
    assert reloaded == eco
    from layermodel.analysis import analyze

    report = analyze(eco)
    assert report.to_dict()


@needs_catalog
def test_every_system_becomes_a_product_with_product_systems_all() -> None:
    result = import_backstage(CATALOG / "all.yaml", product_systems="ALL")
    assert result.imported["System"] == 3
    assert "System" not in result.skipped
    eco = result.ecosystem
    assert set(eco.product_index) == {"artist-engagement-portal", "audio-playback", "podcast"}
    assert eco.product("podcast").uses == ("podcast-api", "queue-proxy")
    assert eco.product("audio-playback").properties["backstage"]["type"] == "feature-set"


@needs_catalog
def test_the_whole_folder_imports_with_groups_users_and_the_rest_skipped_by_kind() -> None:
    result = import_backstage(CATALOG)
    assert result.imported == {"API": 10, "Component": 13, "Resource": 1}
    assert result.skipped == {
        "AiResource": 4,
        "Domain": 3,
        "Environment": 2,
        "Group": 8,
        "Location": 10,
        "System": 3,
        "User": 17,
    }
    assert result.entities == 71
    assert result.problems == ()


# -- references ----------------------------------------------------------------------


def test_unresolved_references_are_reported_not_dropped(write) -> None:
    path = catalog(
        write,
        entity(
            "Component",
            "web",
            "dependsOn: [component:ghost, 'resource:db']\nconsumesApis: [nope]\n",
        ),
        entity("Resource", "db"),
    )
    result = import_backstage(path)
    messages = [p.message for p in result.problems]
    assert any("unresolved dependsOn reference 'component:ghost'" in m for m in messages)
    assert any("unresolved consumesApis reference 'nope'" in m for m in messages)
    assert all(p.file == str(path) and p.line for p in result.problems)
    assert result.ecosystem.component("web").targets == ("db",)
    assert "Reported (2)" in result.summary()


def test_references_are_case_insensitive_with_defaults_per_field(write) -> None:
    path = catalog(
        write,
        entity(
            "Component",
            "Web",
            "consumesApis: [Default/Orders]\ndependsOn: ['Resource:DB']\n",
        ),
        entity("API", "orders", meta="namespace: default\n"),
        entity("Resource", "db"),
        entity("Component", "svc", "providesApis: [ORDERS]\n"),
    )
    eco = import_backstage(path).ecosystem
    assert eco.component("Web").targets == ("db", "orders")  # dependsOn, then consumesApis
    assert eco.component("orders").targets == ("svc",)
    assert eco.component("orders").depends_on[0].kind == "provided-by"


def test_a_reference_to_a_kind_that_is_not_imported_is_reported(write) -> None:
    path = catalog(
        write,
        entity("Component", "web", "dependsOn: [group:team-a]\n"),
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\nspec: {type: team}\n",
    )
    result = import_backstage(path)
    assert result.skipped == {"Group": 1}
    assert "is a Group, which is not imported" in result.problems[0].message


def test_same_names_in_different_kinds_and_namespaces_get_distinct_ids(write) -> None:
    path = catalog(
        write,
        entity("API", "orders"),
        entity("Component", "orders", "providesApis: [orders]\n"),
        entity("Component", "orders", meta="namespace: shop\n"),
        entity("Resource", "orders"),
        entity("Component", "has space", "dependsOn: ['component:shop/orders']\n"),
    )
    eco = import_backstage(path).ecosystem
    assert set(eco.component_index) == {
        "orders",
        "orders-api",
        "orders-component",
        "orders-resource",
        next(i for i in eco.component_index if i.startswith("has-space-")),
    }
    assert eco.component("orders").properties == {"backstage": {"type": "service"}}
    assert eco.component("orders-component").properties["backstage"]["namespace"] == "shop"
    odd = next(c for c in eco.components if c.id.startswith("has-space-"))
    assert odd.properties["backstage"]["name"] == "has space"
    assert odd.targets == ("orders-component",)
    again = import_backstage(path).ecosystem
    assert again == eco, "ids are deterministic"


def test_locations_are_followed_relative_to_the_file_and_urls_reported(write) -> None:
    write("teams/a/catalog.yaml", entity("Component", "a"))
    write("teams/b.yaml", entity("Component", "b"))
    root = write(
        "all.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: all}\n"
        "spec:\n  targets:\n    - ./teams/a/catalog.yaml\n    - ./teams/*.yaml\n"
        "    - https://github.com/x/y/blob/main/catalog-info.yaml\n    - ./missing.yaml\n",
    )
    result = import_backstage(root)
    assert set(result.ecosystem.component_index) == {"a", "b"}
    messages = [p.message for p in result.problems]
    assert any("URL target 'https://github.com" in m and "not followed" in m for m in messages)
    assert any("'./missing.yaml' not found" in m for m in messages)
    assert [p.line for p in result.problems] == [8, 9]


def test_multi_document_files_and_duplicates(write) -> None:
    path = catalog(write, entity("Component", "a"), entity("Component", "A"), "")
    result = import_backstage(path)
    assert result.imported == {"Component": 1}
    assert (result.duplicates, result.invalid, result.entities) == (1, 0, 2)
    assert len(result.problems) == 1
    assert "defined again" in str(result.problems[0])


def test_invalid_documents_fail_the_import_with_their_lines(write) -> None:
    path = catalog(
        write,
        entity("Component", "a"),
        "just text\n",
        "apiVersion: v1\nkind: Component\nmetadata: {}\n",
    )
    with pytest.raises(InputError) as caught:
        import_backstage(path)
    problems = caught.value.problems
    assert [p.message.split(":")[0] for p in problems] == [
        "not a Backstage entity (a mapping)",
        "not a valid Backstage entity",
    ]
    text = path.read_text()
    assert [p.line for p in problems] == [
        text[: text.index("just text")].count("\n") + 1,
        text[: text.index("apiVersion: v1")].count("\n") + 1,
    ]
    assert all(p.file == str(path) for p in problems)


# -- layers ---------------------------------------------------------------------------


RULES = """\
layers: [web, services, data, metal]
default: services
rules:
  - {layer: web, when: {spec.type: [website, frontend]}}
  - {layer: data, when: {kind: Resource}}
  - {layer: metal, when: {tag: bare-*}}
"""


def test_layer_precedence_annotation_then_rules_then_default(write) -> None:
    rules = write("rules.yaml", RULES)
    path = catalog(
        write,
        entity(
            "Component",
            "site",
            "type: website\n",
            meta="annotations: {layermodel.io/layer: data}\n",
        ),
        entity("Component", "portal", "type: website\n"),
        entity("Resource", "db"),
        entity("Component", "box", meta="tags: [bare-metal]\n"),
        entity("Component", "svc"),
    )
    eco = import_backstage(path, layer_rules=rules).ecosystem
    assert [layer.id for layer in eco.layers] == ["web", "services", "data", "metal"]
    layers = {c.id: c.layer for c in eco.components}
    assert layers == {
        "site": "data",
        "portal": "web",
        "db": "data",
        "box": "metal",
        "svc": "services",
    }
    named = import_backstage(path, layer_rules=rules, default_layer="metal").ecosystem
    assert named.component("svc").layer == "metal"
    assert named.component("portal").layer == "web"


def test_an_unknown_layer_in_the_annotation_is_reported_and_the_rules_decide(write) -> None:
    path = catalog(
        write, entity("Component", "x", meta="annotations: {layermodel.io/layer: uii}\n")
    )
    result = import_backstage(path)
    assert result.ecosystem.component("x").layer == "algorithms"
    assert result.problems[0].suggestion == "ui"


def test_bad_rules_files_name_file_line_and_value(write) -> None:
    bad = write("rules.yaml", "rules:\n  - {layer: uii, when: {kind: Resource}}\n  - {layer: ui}\n")
    with pytest.raises(InputError) as caught:
        read_layer_rules(bad)
    first, second = caught.value.problems
    assert (first.file, first.line) == (str(bad), 2)
    assert "unknown layer 'uii'" in first.message and first.suggestion == "ui"
    assert second.line == 3 and "needs 'when'" in second.message
    broken = write("broken.yaml", "rules: [\n")
    with pytest.raises(InputError, match=r"broken.yaml:2:1: YAML syntax error"):
        read_layer_rules(broken)
    with pytest.raises(InputError, match="no such file"):
        read_layer_rules(write("x", "").parent / "absent.yaml")
    with pytest.raises(InputError, match="unknown key 'rule'"):
        read_layer_rules(write("typo.yaml", "rule: []\n"))


def test_no_layer_for_an_entity_is_a_clear_error(write) -> None:
    rules = LayerRules(layers=(lm.Layer(id="top"), lm.Layer(id="bottom")))
    path = catalog(write, entity("Component", "x"))
    with pytest.raises(InputError, match="no layer"):
        import_backstage(path, layer_rules=rules)
    with pytest.raises(InputError, match="unknown default layer 'mid'"):
        import_backstage(path, layer_rules=rules, default_layer="mid")
    assert import_backstage(path, layer_rules=rules, default_layer="top").ecosystem


def test_bad_yaml_and_missing_files_are_input_errors(write) -> None:
    bad = write("bad.yaml", "kind: Component\nmetadata: {name: [\n")
    with pytest.raises(InputError) as caught:
        import_backstage(bad)
    problem = caught.value.problems[0]
    assert problem.file == str(bad) and problem.line == 3
    with pytest.raises(InputError, match="no such file or folder"):
        import_backstage(bad.parent / "nope.yaml")
