"""The Python builder reads like the architecture and reports every problem at once,
pointing at the script line that declared it."""

from __future__ import annotations

import sys

import pytest

import layermodel as lm

sys.path.insert(0, str(__import__("tests.conftest").conftest.EXAMPLES / "google"))


def test_references_by_handle_object_and_id() -> None:
    b = lm.Builder("T")
    dc = b.component("dc", "Data centre", "hardware")
    vm = b.component("vm", "VM", "hardware", depends_on=[dc])
    db = b.component("db", "DB", "infrastructure", depends_on=["vm", lm.dep(dc, required=False)])
    app = b.component("app", "App", "ui", depends_on=[db])
    b.depend(app, vm, kind="runs-on")
    b.product("shop", "Shop", uses=[app], weight=2)
    eco = b.build()
    assert eco.component("db").targets == ("vm", "dc")
    assert eco.component("db").depends_on[1].required is False
    assert eco.component("app").depends_on[1] == lm.Dependency(target="vm", kind="runs-on")
    assert eco.product("shop").weight == 2


def test_layer_blocks_set_the_default_layer() -> None:
    b = lm.Builder("T")
    with b.layer("hardware"):
        b.component("dc")
        b.component("edge", layer="infrastructure")
    eco = b.build()
    assert eco.component("dc").layer == "hardware"
    assert eco.component("edge").layer == "infrastructure"


def test_custom_layer_stack() -> None:
    b = lm.Builder("T", layers=["web", ("data", "Data platform")], policy="strict")
    b.component("db", layer="data")
    eco = b.build()
    assert [x.label for x in eco.layers] == ["web", "Data platform"] and eco.policy == "strict"


def test_build_reports_every_problem_at_the_declaring_line() -> None:
    b = lm.Builder("T")
    line = sys._getframe().f_lineno
    db = b.component("db", "Database", "infrastructure", availability=2)
    app = b.component("app", "App", "uii", depends_on=[db, "dbb"])
    b.component("db", "Again", "hardware")
    b.product("shop", uses=[app, "nope"], weight=-1)
    with pytest.raises(lm.ModelError) as caught:
        b.build()
    found = [(p.line - line, lm.errors.format_path(p.path)) for p in caught.value.problems]
    assert [offset for offset, _ in found] == [1, 2, 2, 3, 4, 4]  # in script order
    assert sorted(found) == [
        (1, "components[0].availability"),
        (2, "components[1].depends_on[1]"),
        (2, "components[1].layer"),
        (3, "components[2].id"),
        (4, "products[0].uses[1]"),
        (4, "products[0].weight"),
    ]
    assert all(p.file == __file__ for p in caught.value.problems)
    duplicate = caught.value.problems[3]
    assert duplicate.see_location == f"{__file__}:{line + 1}"


def test_depend_on_an_undeclared_component_is_an_error() -> None:
    b = lm.Builder("T")
    with pytest.raises(lm.LayermodelError, match="no component 'ghost'"):
        b.depend("ghost", "x")


def test_the_builder_example_equals_the_yaml_example() -> None:
    import build  # examples/google/build.py

    assert build.build() == lm.example()
