"""LikeC4 import: JSON written by the real ``likec4 export json`` from the real-world
models and from small models written here, the level rule, and bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from layermodel.errors import InputError
from layermodel.interop.likec4 import discover_likec4, import_likec4
from tests.conftest import REPO, SHARED_FIXTURES

LIKEC4 = REPO / "tests" / "browser" / "node_modules" / ".bin" / "likec4"
REAL = SHARED_FIXTURES / "realworld" / "likec4"
BIGBANK = REAL / "apps" / "docs" / "src" / "components" / "bigbank"
CLOUD = REAL / "examples" / "cloud-system"

SYNTHETIC = {
    # No system kinds: every top-level element is a component; kinds and drawn
    # shapes place stores and queues in infrastructure; browser shapes are ui.
    "flat": """
        specification {
          element service
          element database
          element webapp { style { shape browser } }
          element bus { style { shape queue } }
          element person { style { shape person } }
        }
        model {
          user = person 'Shopper'
          web = webapp 'Web shop' { technology 'React' }
          orders = service 'Orders' {
            technology 'Go'
            metadata { team 'checkout' }
          }
          store = database 'Orders DB' { technology 'PostgreSQL' }
          events = bus 'Events'
          user -> web 'browses'
          web -> orders 'places orders' { technology 'REST' }
          orders -> store 'reads/writes'
          orders -> events 'publishes'
          orders -> store 'migrates'
        }
    """,
    # Systems with children, a grouping around them, components folded into their
    # container, a name used twice, a relation to a product that no component
    # relation stands for (reported) and one that they do (implied).
    "nested": """
        specification {
          element landscape
          element softwareSystem
          element container
          element component
          element actor { style { shape person } }
          relationship async
        }
        model {
          corp = landscape 'Corp' {
            shop = softwareSystem 'Shop' {
              backend = container 'Shop backend' {
                api = component 'API'
                jobs = component 'Jobs'
                api -> jobs 'enqueues'
              }
              ui = container 'Shop UI' {
                -> shop.backend.api 'calls'
              }
            }
            billing = softwareSystem 'Billing' {
              backend = container 'Billing backend'
              ledger = container 'Ledger'
              backend -> ledger 'books'
            }
            mail = softwareSystem 'Mail'
            clerk = actor 'Clerk'
          }
          shop.backend.jobs -[async]-> billing.backend 'charges'
          shop -> billing 'bills through'
          shop -> mail 'sends mail through'
          clerk -> shop 'uses'
        }
    """,
}


def _export(folder: Path, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(LIKEC4), "export", "json", "--skip-layout", "--pretty", "-o", str(out), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The JSON the real LikeC4 command line writes, for each model (run once, in
    parallel, on copies: the shared fixtures are never written to)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed; the LikeC4 command line needs them")
    if not LIKEC4.exists():
        pytest.fail(f"{LIKEC4} is missing: run 'make browser' (npm ci in tests/browser)")
    root = tmp_path_factory.mktemp("likec4")
    folders: dict[str, Path] = {}
    for name, source in (("bigbank", BIGBANK), ("cloud-system", CLOUD)):
        if not source.is_dir():
            pytest.fail(f"the real-world LikeC4 fixture is not at {source}")
        folders[name] = root / name
        shutil.copytree(source, folders[name])
    for name, text in SYNTHETIC.items():
        folders[name] = root / name
        folders[name].mkdir()
        (folders[name] / "model.c4").write_text(textwrap.dedent(text), encoding="utf-8")
    runs = {name: _export(folder, root / f"{name}.json") for name, folder in folders.items()}
    for name, run in runs.items():
        output, _ = run.communicate(timeout=300)
        assert run.returncode == 0, f"likec4 export json {name}:\n{output.decode()}"
    return {name: root / f"{name}.json" for name in folders}


def edges(result) -> set[tuple[str, str]]:
    return {(c.id, d.target) for c in result.ecosystem.components for d in c.depends_on}


def by_id(result):
    return {c.id: c for c in result.ecosystem.components}


# -- the real-world models -------------------------------------------------------------

# Big Bank plc (bigbank.c4), counted by hand as the Structurizr mapping counts it:
# components are the 5 containers of the Internet Banking System (spa, mobileApp,
# webApplication, apiApplication, database) and the 3 systems without children
# (mainframe, email, atm); the 6 components of apiApplication fold into it; the 3
# people and their 9 relations are left out; 4 relations stay inside apiApplication;
# internetBankingSystem -> mainframe and -> email are implied by the facade's and the
# e-mail component's relations. What is left, lifted:
BIGBANK_EDGES = {
    ("atm", "mainframe"),  # atm -> mainframe
    ("webApplication", "singlePageApplication"),  # delivers to the browser
    ("singlePageApplication", "apiApplication"),  # 3 relations to controllers
    ("mobileApp", "apiApplication"),  # 3 relations to controllers
    ("apiApplication", "database"),  # securityComponent -> database
    ("apiApplication", "mainframe"),  # mainframeBankingSystemFacade -> mainframe
    ("apiApplication", "email"),  # emailComponent -> email
}

# cloud-system (model.c4, externals.c4, cloud/*.c4): the systems are cloud (system)
# and amazon (externalSystem); their containers are the components: cloud.ui,
# cloud.legacy, cloud.next, amazon.rds, amazon.sqs, amazon.lambdas. The 24 relations,
# lifted to them: 5 involve people (customer, supportUser); backend -> events and
# graphql.myAccount/updateAccount -> backend stay inside cloud.next; the rest give:
CLOUD_EDGES = {
    ("legacy", "rds"),  # legacy.backend.services -> amazon.rds.pg.tblUsers
    ("next", "rds"),  # next.backend -> aurora.tblUsers (aurora extends amazon.rds)
    ("next", "legacy"),  # next.backend -> cloud.legacy.backend.services
    ("next", "sqs"),  # events -> amazon.sqs, -> queue1, -> queue2
    ("ui", "next"),  # dashboard, mobile -> graphql.*; supportPanel -> graphql
    ("ui", "legacy"),  # dashboard, mobile -> cloud.legacy.services
    ("ui", "rds"),  # supportPanel -> amazon.aurora.tblUsers
    ("lambdas", "sqs"),  # fn_enrich -> queue1, queue2
}


def test_bigbank_components_and_dependencies(exports):
    result = import_likec4(exports["bigbank"])
    components = by_id(result)
    assert set(components) == {
        "singlePageApplication",
        "mobileApp",
        "webApplication",
        "apiApplication",
        "database",
        "mainframe",
        "email",
        "atm",
    }
    assert edges(result) == BIGBANK_EDGES
    assert components["apiApplication"].name == "API Application"
    assert components["apiApplication"].properties["technology"] == "Java and Spring MVC"
    assert components["database"].layer == "infrastructure"  # kind database
    assert components["singlePageApplication"].layer == "ui"  # browser shape
    assert components["mobileApp"].layer == "ui"  # mobile shape
    assert components["mainframe"].layer == "algorithms"
    assert [p.id for p in result.ecosystem.products] == ["internetBankingSystem"]
    assert result.skipped["likec4 person"] == 3
    assert result.skipped["likec4 relation with a person"] == 9
    assert result.skipped["likec4 relation inside a component"] == 4
    assert result.skipped["likec4 relation implied by relations between components"] == 2
    assert result.imported["likec4 relation"] == 11
    assert result.problems == ()


def test_bigbank_provenance_points_into_the_json(exports):
    path = exports["bigbank"]
    result = import_likec4(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    api = by_id(result)["apiApplication"]
    (where,) = api.provenance
    assert where.source == "likec4" and where.file == str(path)
    assert where.line > 1  # exported with --pretty: one element over several lines
    assert '"bigbank.internetBankingSystem.apiApplication"' in lines[where.line - 1]
    assert where.evidence == "element bigbank.internetBankingSystem.apiApplication (container)"
    spa = by_id(result)["singlePageApplication"]
    (dep,) = spa.depends_on
    assert len(dep.provenance) == 3  # one per controller the SPA calls
    evidence = sorted(p.evidence for p in dep.provenance)
    assert evidence[0].startswith(
        "relation bigbank.internetBankingSystem.singlePageApplication -> "
        "bigbank.internetBankingSystem.apiApplication.accountsSummaryController"
    )


def test_cloud_system_components_and_dependencies(exports):
    result = import_likec4(exports["cloud-system"])
    components = by_id(result)
    assert set(components) == {"ui", "legacy", "next", "rds", "sqs", "lambdas"}
    assert edges(result) == CLOUD_EDGES
    assert components["rds"].layer == "infrastructure"  # storage shape
    assert components["sqs"].layer == "infrastructure"  # "Simple Queue Service"
    assert components["ui"].layer == "ui"  # browser shape
    assert {p.id: set(p.uses) for p in result.ecosystem.products} == {
        "cloud": {"ui"},
        "amazon": {"rds", "lambdas"},
    }
    assert result.problems == ()
    assert result.skipped["likec4 deployment element"] > 0
    next_to_sqs = next(d for d in components["next"].depends_on if d.target == "sqs")
    assert len(next_to_sqs.provenance) == 3  # to sqs, queue1 and queue2


def test_a_project_written_twice_is_read_once(exports):
    data = json.loads(exports["bigbank"].read_text(encoding="utf-8"))
    # This version of the command line writes a list holding the project twice.
    assert isinstance(data, list)
    found = discover_likec4(exports["bigbank"])
    assert len(found.components) == 8
    assert found.skipped["repeated project"] == len(data) - 1


# -- the mapping rules, on small models ------------------------------------------------


def test_flat_model_without_systems(exports):
    result = import_likec4(exports["flat"])
    components = by_id(result)
    assert set(components) == {"web", "orders", "store", "events"}
    assert edges(result) == {("web", "orders"), ("orders", "store"), ("orders", "events")}
    assert components["store"].layer == "infrastructure"  # kind database
    assert components["events"].layer == "infrastructure"  # queue shape
    assert components["web"].layer == "ui"  # browser shape
    assert components["orders"].layer == "algorithms"
    assert components["orders"].properties["technology"] == "Go"
    store = next(d for d in components["orders"].depends_on if d.target == "store")
    assert len(store.provenance) == 2  # two relations, one dependency
    web = components["web"].depends_on[0]
    assert web.provenance[0].evidence == "relation web -> orders 'places orders' [REST]"
    assert result.ecosystem.products == ()


def test_flat_model_facts_reach_metadata(exports):
    found = discover_likec4(exports["flat"])
    orders = next(s for s in found.components if s.name == "orders")
    assert orders.facts["kind"] == "service"
    assert orders.facts["metadata"]["labels"] == {"team": "checkout"}
    assert orders.facts["technology"] == "Go"


def test_nested_systems_groupings_and_lifting(exports):
    result = import_likec4(exports["nested"])
    components = by_id(result)
    # corp is a grouping (systems below it); shop and billing have children, so
    # their children are the components; mail has none, so it is one; the
    # components api and jobs fold into shop's backend; clerk is a person.
    assert set(components) == {"shop.backend", "ui", "billing.backend", "ledger", "mail"}
    assert components["shop.backend"].name == "Shop backend"
    assert edges(result) == {
        ("ui", "shop.backend"),
        ("shop.backend", "billing.backend"),
        ("billing.backend", "ledger"),
    }
    kinds = {d.target: d.kind for d in components["shop.backend"].depends_on}
    assert kinds == {"billing.backend": "async"}
    # shop -> billing is implied by jobs -> billing.backend; shop -> mail is not
    # implied by anything: reported, with its line in the JSON, not dropped.
    assert result.skipped["likec4 relation implied by relations between components"] == 1
    (problem,) = result.problems
    assert "corp.shop -> corp.mail" in problem.message
    assert "corp.shop is a product" in problem.message
    assert problem.file == str(exports["nested"]) and problem.line
    assert {p.id for p in result.ecosystem.products} == {"shop", "billing"}
    assert result.skipped["likec4 grouping element"] == 1
    assert result.skipped["likec4 element inside a component"] == 2


def test_system_kinds_override(exports):
    # With landscape as the only system kind, corp's children are the components.
    result = import_likec4(exports["nested"], system_kinds=["landscape"])
    assert set(by_id(result)) == {"shop", "billing", "mail"}
    assert edges(result) == {("shop", "billing"), ("shop", "mail")}


# -- hand-written JSON: what the import survives, and what it refuses ------------------


def project(elements: dict, relations: dict, **extra) -> dict:
    return {"projectId": "p", "specification": {"elements": {}}, "elements": elements,
            "relations": relations, **extra}  # fmt: skip


def test_relation_to_a_missing_element_is_reported(write):
    path = write(
        "m.json",
        json.dumps(
            project(
                {"a": {"id": "a", "kind": "service"}},
                {"r1": {"id": "r1", "source": {"model": "a"}, "target": {"model": "gone"}}},
            ),
            indent=2,
        ),
    )
    result = import_likec4(path)
    assert set(by_id(result)) == {"a"}
    (problem,) = result.problems
    assert "'gone'" in problem.message and problem.file == str(path) and problem.line == 13


BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)
)
"""A billion laughs: nine lines that expand to 10**9 values."""


@pytest.mark.parametrize(
    ("name", "text", "line", "words"),
    [
        ("dup.json", '{"elements": {},\n "elements": {}, "relations": {}}', 2, "duplicate key"),
        ("bad.json", b'{"elements": {"\xff": 1}}', 1, "not valid UTF-8"),
        ("syntax.json", '{"elements": {}\n  "relations": {}}', 2, "JSON syntax error"),
        ("bomb.yaml", BOMB, None, "alias"),
        ("tag.yaml", "elements: !!python/object/apply:os.system ['true']\n", 1, "tag"),
        ("list.json", "[1, 2]", 1, "not a LikeC4 model"),
        ("empty.json", "[]", 1, "an empty list"),
        (
            "kindless.json",
            json.dumps(project({"a": {"id": "a"}}, {}), indent=1),
            7,
            "element 'a': expected an object with a 'kind'",
        ),
        (
            "rel.json",
            json.dumps(project({"a": {"kind": "x"}}, {"r": {"source": "a"}}), indent=1),
            12,
            "relation 'r'",
        ),
    ],
)
def test_bad_input_is_an_input_error_with_file_and_line(write, name, text, line, words):
    path = write(name, text) if isinstance(text, str) else _write_bytes(write, name, text)
    with pytest.raises(InputError) as caught:
        discover_likec4(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path)
    assert problem.line is not None
    if line is not None:
        assert problem.line == line
    assert words.lower() in problem.message.lower()


def _write_bytes(write, name: str, data: bytes) -> Path:
    path = write(name, "")
    path.write_bytes(data)
    return path


def test_a_structurizr_workspace_is_the_wrong_kind():
    workspace = SHARED_FIXTURES / "realworld" / "structurizr-examples" / "json" / "big-bank-plc"
    with pytest.raises(InputError) as caught:
        discover_likec4(workspace / "workspace.json")
    assert "Structurizr workspace" in str(caught.value)
    assert caught.value.problems[0].line == 1


def test_a_compose_file_is_the_wrong_kind():
    compose = SHARED_FIXTURES / "realworld" / "otel-demo" / "compose.yaml"
    with pytest.raises(InputError) as caught:
        discover_likec4(compose)
    assert "compose file" in str(caught.value)
    assert caught.value.problems[0].file == str(compose)
