"""Every validation rule reports the file, line, column, model path, bad value and,
for near misses, a suggestion; and every problem is reported at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import layermodel as lm

BASE = """\
name: Test
components:
  - id: box
    layer: ui
    depends_on: [ranking]
  - id: ranking
    layer: algorithms
    depends_on: [db]
  - id: db
    layer: infrastructure
products:
  - id: search
    uses: [box]
"""


def problems_of(write, text: str, name: str = "m.yaml") -> list[lm.Problem]:
    path = write(name, text)
    with pytest.raises(lm.ModelError) as caught:
        lm.load(path)
    return list(caught.value.problems)


def only(write, text: str, name: str = "m.yaml") -> lm.Problem:
    found = problems_of(write, text, name)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def test_the_base_model_is_valid(write) -> None:
    eco = lm.load(write("m.yaml", BASE))
    assert [c.id for c in eco.components] == ["box", "ranking", "db"]


# -- references ------------------------------------------------------------------------


def test_unknown_dependency_names_line_value_and_suggestion(write) -> None:
    p = only(write, BASE.replace("depends_on: [ranking]", "depends_on: [rankng]"))
    assert p.file.endswith("m.yaml")
    assert (p.line, p.column) == (5, 18)
    assert lm.errors.format_path(p.path) == "components[0].depends_on[0]"
    assert "unknown component 'rankng'" in p.message
    assert p.suggestion == "ranking"
    assert str(p).endswith("did you mean 'ranking'?")
    assert ":5:18: components[0].depends_on[0]: " in str(p)


def test_unknown_layer_lists_the_layers_and_suggests(write) -> None:
    p = only(write, BASE.replace("layer: algorithms", "layer: algoritms"))
    assert p.line == 7
    assert lm.errors.format_path(p.path) == "components[1].layer"
    assert "unknown layer 'algoritms'" in p.message
    assert "algorithms, hardware, infrastructure, ui" in p.message
    assert p.suggestion == "algorithms"


def test_unknown_component_in_product_uses(write) -> None:
    p = only(write, BASE.replace("uses: [box]", "uses: [bx]"))
    assert (p.line, lm.errors.format_path(p.path)) == (13, "products[0].uses[0]")
    assert "unknown component 'bx'" in p.message and p.suggestion == "box"


def test_record_dependency_target_is_checked(write) -> None:
    text = BASE.replace("depends_on: [db]", "depends_on: [{target: dbx, required: false}]")
    p = only(write, text)
    assert p.line == 8 and "unknown component 'dbx'" in p.message and p.suggestion == "db"


def test_duplicate_dependency_and_duplicate_use(write) -> None:
    text = BASE.replace("[ranking]", "[ranking, ranking]").replace("[box]", "[box, box]")
    found = problems_of(write, text)
    messages = [p.message for p in found]
    assert "component depends on 'ranking' twice" in messages
    assert "product uses component 'box' twice" in messages


# -- ids -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "text", "line", "first_line"),
    [
        ("component", BASE.replace("products:", "  - id: box\n    layer: ui\nproducts:"), 11, 3),
        ("product", BASE + "  - id: search\n", 14, 12),
        (
            "layer",
            "name: T\nlayers:\n  - id: ui\n  - id: core\n  - id: ui\n",
            5,
            3,
        ),
    ],
)
def test_duplicate_ids_point_at_both_definitions(write, section, text, line, first_line) -> None:
    p = only(write, text)
    assert (
        p.message
        == f"duplicate {section} id {'box' if section == 'component' else ('search' if section == 'product' else 'ui')!r}"
    )
    assert p.line == line
    assert p.see_location == f"{p.file}:{first_line}"
    assert f"(first defined at {p.file}:{first_line})" in str(p)


def test_an_id_must_be_a_slug_and_a_fix_is_suggested(write) -> None:
    found = problems_of(write, BASE.replace("- id: db", "- id: My DB"))
    bad = next(p for p in found if "invalid id" in p.message)
    assert "'My DB'" in bad.message and bad.suggestion == "My-DB"
    assert bad.line == 9


def test_id_given_as_a_number_says_to_quote_it(write) -> None:
    found = problems_of(write, BASE.replace("- id: db", "- id: 404"))
    p = next(p for p in found if lm.errors.format_path(p.path) == "components[2].id")
    assert "expected text, got number 404" in p.message and "quotes" in p.message


def test_yaml_boolean_words_are_explained(write) -> None:
    found = problems_of(write, BASE.replace("- id: db", "- id: no"))
    p = next(p for p in found if lm.errors.format_path(p.path) == "components[2].id")
    assert "boolean false" in p.message and "yes, no, on, off" in p.message


# -- enumerations and ranges -----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected", "suggestion"),
    [
        ("sourcing", "biuld", "build, buy, external-api, open-source", "build"),
        ("lifecycle", "prod", "experimental, production, deprecated", "production"),
        ("evolution", "comodity", "genesis, custom, product, commodity", "commodity"),
        # words people write for a choice, too far from it for a spelling suggestion
        ("sourcing", "bought", "build, buy, external-api, open-source", "buy"),
        ("sourcing", "SaaS", "build, buy, external-api, open-source", "external-api"),
        ("sourcing", "oss", "build, buy, external-api, open-source", "open-source"),
        ("lifecycle", "retired", "experimental, production, deprecated", "deprecated"),
    ],
)
def test_enumerations(write, field, value, expected, suggestion) -> None:
    p = only(
        write,
        BASE.replace(
            "    layer: infrastructure\n", f"    layer: infrastructure\n    {field}: {value}\n"
        ),
    )
    assert p.line == 11 and lm.errors.format_path(p.path) == f"components[2].{field}"
    assert f"invalid value '{value}'; expected one of {expected}" == p.message
    assert p.suggestion == suggestion


def test_policy_is_an_enumeration(write) -> None:
    p = only(write, "policy: strcit\n" + BASE)
    assert (p.line, p.path, p.suggestion) == (1, ("policy",), "strict")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("availability", "0", "must be greater than 0, got number 0"),
        ("availability", "1.5", "must be less than or equal to 1, got number 1.5"),
        # a percentage: the hint says how to write it
        ("availability", "99.95", "got number 99.95; for 99.95% write 0.9995"),
        ("availability", "100", "got number 100; for 100% write 1"),
        ("availability", "250", "must be less than or equal to 1, got number 250"),
        ("availability", ".nan", "must be a finite number"),
        ("cost", "-1", "must be greater than or equal to 0, got number -1"),
        ("cost", ".inf", "must be a finite number"),
        ("cost", '"12"', "expected a number, got text '12'; write it as a plain number"),
    ],
)
def test_ranges(write, field, value, message) -> None:
    p = only(
        write,
        BASE.replace(
            "    layer: infrastructure\n", f"    layer: infrastructure\n    {field}: {value}\n"
        ),
    )
    assert p.line == 11 and message in p.message, p.message


def test_an_availability_target_in_percent_gets_the_same_hint(write) -> None:
    p = only(
        write, BASE.replace("    uses: [box]\n", "    uses: [box]\n    availability_target: 99.9\n")
    )
    assert p.message.endswith("for 99.9% write 0.999"), p.message


def test_product_weight_must_be_positive(write) -> None:
    p = only(write, BASE.replace("uses: [box]", "uses: [box]\n    weight: 0"))
    assert (p.line, lm.errors.format_path(p.path)) == (14, "products[0].weight")
    assert "must be greater than 0, got number 0" in p.message


# -- unknown keys ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path", "line", "suggestion"),
    [
        ("name: Test", "nmae: Test", "nmae", 1, "name"),
        ("    layer: ui\n", "    layer: ui\n    ownr: me\n", "components[0].ownr", 5, "owner"),
        ("[db]", "[{target: db, kidn: calls}]", "components[1].depends_on[0].kidn", 8, "kind"),
        ("uses: [box]", "uses: [box]\n    wieght: 2", "products[0].wieght", 14, "weight"),
    ],
)
def test_unknown_keys_are_errors_with_suggestions(write, old, new, path, line, suggestion) -> None:
    found = problems_of(write, BASE.replace(old, new))
    p = next(p for p in found if "unknown key" in p.message)
    assert lm.errors.format_path(p.path) == path
    assert p.line == line and p.suggestion == suggestion


def test_unknown_key_without_a_near_miss_lists_what_is_allowed(write) -> None:
    p = only(write, BASE.replace("    layer: ui\n", "    layer: ui\n    zzzzzz: 1\n"))
    assert "expected one of: availability, cost, depends_on" in p.message
    assert "free-form data goes under 'properties'" in p.message


def test_free_form_data_under_properties_is_kept(write) -> None:
    text = BASE.replace(
        "    layer: ui\n", "    layer: ui\n    properties: {tier: 1, since: 2024-01-01}\n"
    )
    eco = lm.load(write("m.yaml", text))
    assert eco.component("box").properties == {"tier": 1, "since": "2024-01-01"}


@pytest.mark.parametrize("tag", ["!!binary aGVsbG8=", "!!timestamp 2024-01-01"])
def test_properties_must_be_plain_data(write, tag) -> None:
    p = only(
        write, BASE.replace("    layer: ui\n", f"    layer: ui\n    properties: {{x: {tag}}}\n")
    )
    assert lm.errors.format_path(p.path) == "components[0].properties.x"
    assert "plain data" in p.message and p.line == 5


def test_yaml_sets_are_refused_with_their_place(write) -> None:
    p = only(write, BASE.replace("    layer: ui\n", "    layer: ui\n    tags: !!set {a, b}\n"))
    assert p.message == "expected a list, got a YAML set !!set {a, b}; use a list"
    assert (p.line, p.column) == (5, 11)


def test_every_bad_property_is_reported_where_it_is(write) -> None:
    text = BASE.replace(
        "    layer: ui\n",
        "    layer: ui\n    properties:\n      a: .nan\n      b: {c: !!binary aGk=}\n",
    )
    found = problems_of(write, text)
    assert [(lm.errors.format_path(p.path), p.line) for p in found] == [
        ("components[0].properties.a", 6),
        ("components[0].properties.b.c", 7),
    ]


# -- file format -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "ok"), [("1", True), ("2", False), ('"1"', False), ("1.0", False), ("true", False)]
)
def test_file_format_version(write, version, ok) -> None:
    text = f"layermodel: {version}\n" + BASE
    if ok:
        assert lm.load(write("m.yaml", text)).name == "Test"
        return
    p = only(write, text)
    assert p.line == 1 and "unsupported file-format version" in p.message
    assert "reads version 1" in p.message


def test_yaml_syntax_error_has_line_and_column(write) -> None:
    p = only(write, BASE.replace("depends_on: [ranking]", "depends_on: [ranking"))
    assert p.message.startswith("YAML syntax error") and p.line is not None and p.line >= 5


def test_json_syntax_error_has_line_and_column(write) -> None:
    p = only(write, '{"name": "x",\n "components": [,]}', "m.json")
    assert (p.line, p.column) == (2, 17) and p.message.startswith("JSON syntax error")


@pytest.mark.parametrize("name", ["m.yaml", "m.json"])
def test_duplicate_keys_would_lose_data_so_they_are_errors(write, name) -> None:
    text = "name: a\nname: b\n" if name.endswith("yaml") else '{"name": "a",\n "name": "b"}'
    p = only(write, text, name)
    assert "duplicate key 'name'" in p.message and p.line == 2


def test_yaml_tags_cannot_run_code(write, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"name: !!python/object/apply:os.system ['touch {marker}']\n"
    p = only(write, text)
    assert p.line == 1 and "python/object/apply" in p.message
    assert not marker.exists()


def test_alias_bomb_is_refused_quickly(write) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, cur in zip("abcdefgh", "bcdefghi", strict=False):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "name: x\nproperties:\n" + "\n".join("  " + line for line in lines) + "\n"
    p = only(write, text)
    assert "alias" in p.message and "expand" in p.message


def test_recursive_alias_is_refused(write) -> None:
    p = only(write, "name: x\nproperties: {a: &a [*a]}\n")
    assert "alias" in p.message


def test_small_aliases_are_fine(write) -> None:
    text = BASE.replace("    layer: ui\n", "    layer: ui\n    tags: &std [web, core]\n").replace(
        "    layer: infrastructure\n", "    layer: infrastructure\n    tags: *std\n"
    )
    eco = lm.load(write("m.yaml", text))
    assert eco.component("db").tags == ("web", "core")


def test_not_utf8_names_the_byte_and_line(write) -> None:
    path = write("m.yaml", ("name: caf\xe9\n").encode("latin-1"))
    with pytest.raises(lm.ModelError) as caught:
        lm.load(path)
    (p,) = caught.value.problems
    assert (p.line, p.column) == (1, 10) and "0xe9" in p.message and "UTF-8" in p.message


def test_utf16_with_a_byte_order_mark_is_read(write) -> None:
    path = write("m.yaml", BASE.encode("utf-16"))
    assert len(lm.load(path).components) == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("  \n\n", "empty"), ("- a\n- b\n", "got a list"), ("42\n", "got int")],
)
def test_top_level_must_be_a_mapping(write, text, message) -> None:
    p = only(write, text)
    assert message in p.message and p.line == 1


def test_missing_required_keys(write) -> None:
    p = only(
        write,
        BASE.replace(
            "  - id: db\n    layer: infrastructure\n", "  - layer: infrastructure\n"
        ).replace("[db]", "[]"),
    )
    assert p.message == "missing required key 'id'" and p.line == 9


def test_wrong_container_types(write) -> None:
    found = problems_of(write, "name: x\ncomponents: 5\nproducts: {a: 1}\n")
    assert [(p.line, p.message) for p in found] == [
        (2, "expected a list, got number 5"),
        (3, "expected a list, got a mapping"),
    ]


# -- many problems, many files -----------------------------------------------------------


def test_every_problem_is_reported_at_once_in_file_order(write) -> None:
    text = (
        BASE.replace("name: Test", "name: Test\npolicy: lax")
        .replace("[ranking]", "[rankng]")
        .replace("layer: algorithms", "layer: algoritms\n    availability: 2")
        .replace("uses: [box]", "uses: [bx]\n    weight: -1\n    colour: red")
    )
    found = problems_of(write, text)
    assert [p.line for p in found] == sorted(p.line for p in found)
    paths = [lm.errors.format_path(p.path) for p in found]
    assert paths == [
        "policy",
        "components[0].depends_on[0]",
        "components[1].layer",
        "components[1].availability",
        "products[0].uses[0]",
        "products[0].weight",
        "products[0].colour",
    ]


def test_references_inside_invalid_records_are_still_checked(write) -> None:
    text = BASE.replace(
        "    depends_on: [ranking]\n", "    depends_on: [rankng]\n    availability: 7\n"
    )
    found = problems_of(write, text)
    assert {lm.errors.format_path(p.path) for p in found} == {
        "components[0].depends_on[0]",
        "components[0].availability",
    }


def test_json_problems_have_lines_too(write) -> None:
    doc = {
        "name": "x",
        "components": [{"id": "a", "layer": "ui", "depends_on": ["b"]}, {"id": "c", "layer": "hw"}],
    }
    text = json.dumps(doc, indent=2)
    found = problems_of(write, text, "m.json")
    assert [(lm.errors.format_path(p.path), p.line) for p in found] == [
        ("components[0].depends_on[0]", 8),
        ("components[1].layer", 13),
    ]


def test_an_id_defined_in_two_files_names_both(write) -> None:
    a = write("team-a.yaml", "name: Org\ncomponents:\n  - {id: db, layer: infrastructure}\n")
    b = write(
        "team-b.yaml",
        "components:\n  - {id: app, layer: ui, depends_on: [db]}\n  - {id: db, layer: hardware}\n",
    )
    with pytest.raises(lm.ModelError) as caught:
        lm.load(a, b)
    (p,) = caught.value.problems
    assert p.file == str(b) and p.line == 3
    assert p.see_location == f"{a}:3"
    assert str(a) in str(p) and str(b) in str(p)


def test_split_files_merge_into_one_model(write) -> None:
    a = write("layers.yaml", "name: Org\nlayers: [{id: app}, {id: platform}]\n")
    b = write("team.yaml", "components:\n  - {id: web, layer: app, depends_on: [db]}\n")
    c = write(
        "platform.json",
        '{"components": [{"id": "db", "layer": "platform"}], "products": [{"id": "p", "uses": ["web"]}]}',
    )
    eco = lm.load(a, b, c)
    assert eco.name == "Org" and [layer.id for layer in eco.layers] == ["app", "platform"]
    assert eco.dependents("db") == ("web",)


def test_conflicting_names_across_files(write) -> None:
    a = write("a.yaml", "name: One\n")
    b = write("b.yaml", "name: Two\n")
    with pytest.raises(lm.ModelError) as caught:
        lm.load(a, b)
    (p,) = caught.value.problems
    assert p.file == str(b) and "conflicts with 'One'" in p.message and str(a) in str(p)


def test_unreadable_paths_are_read_errors(tmp_path: Path) -> None:
    with pytest.raises(lm.ReadError) as caught:
        lm.load(tmp_path / "missing.yaml", tmp_path)
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].endswith("missing.yaml: no such file")
    assert "is a directory" in messages[1]


# -- the Python API reports the same way -----------------------------------------------------


def test_constructing_an_invalid_ecosystem_in_python_lists_every_problem() -> None:
    with pytest.raises(lm.ModelError) as caught:
        lm.Ecosystem(
            name="x",
            components=[lm.Component(id="a", layer="uix", depends_on=["zz"])],
            products=[lm.Product(id="p", uses=["a", "q"])],
        )
    assert [str(p) for p in caught.value.problems] == [
        "<model>: components[0].layer: unknown layer 'uix'; expected one of algorithms, "
        "hardware, infrastructure, ui; did you mean 'ui'?",
        "<model>: components[0].depends_on[0]: unknown component 'zz'; expected one of a",
        "<model>: products[0].uses[1]: unknown component 'q'; expected one of a",
    ]


def test_cycles_and_upward_edges_are_not_load_errors(write) -> None:
    text = BASE.replace(
        "    layer: infrastructure\n", "    layer: infrastructure\n    depends_on: [box]\n"
    )
    eco = lm.load(write("m.yaml", text))
    assert eco.dependents("box") == ("db",)


def test_group_is_a_slash_separated_path_with_a_hint_for_a_bad_one() -> None:
    import layermodel as lm

    text = "name: x\ncomponents:\n  - {id: a, layer: ui, group: Payments/Risk}\n"
    assert lm.loads(text).component("a").group == "Payments/Risk"
    with pytest.raises(lm.ModelError) as caught:
        lm.loads("name: x\ncomponents:\n  - {id: a, layer: ui, group: '/Payments/ Risk'}\n")
    message = str(caught.value)
    assert "3:" in message and "invalid group '/Payments/ Risk'" in message
    assert "did you mean 'Payments/Risk'" in message
