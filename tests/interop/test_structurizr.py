"""Structurizr import: the real examples (DSL and JSON of the same model agree), every
mapping rule on small workspaces of our own, and bad or wrong-kind input."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from layermodel.errors import InputError, ReadError
from layermodel.interop.discovery import DiscoveryResult
from layermodel.interop.layer_rules import LayerRule, LayerRules
from layermodel.interop.structurizr import discover_structurizr, import_structurizr
from layermodel.model.entities import Component
from tests.conftest import SHARED_FIXTURES

EXAMPLES = SHARED_FIXTURES / "realworld" / "structurizr-examples"
needs_examples = pytest.mark.skipif(
    not EXAMPLES.is_dir(), reason=f"the Structurizr examples are not at {EXAMPLES}"
)


def names(result: DiscoveryResult) -> dict[str, str]:
    return {c.id: c.name or c.id for c in result.ecosystem.components}


def component(result: DiscoveryResult, name: str) -> Component:
    return next(c for c in result.ecosystem.components if (c.name or c.id) == name)


def components(result: DiscoveryResult) -> set[str]:
    return set(names(result).values())


def edges(result: DiscoveryResult) -> set[tuple[str, str]]:
    named = names(result)
    return {
        (named[c.id], named[d.target]) for c in result.ecosystem.components for d in c.depends_on
    }


def layers(result: DiscoveryResult) -> dict[str, str]:
    named = names(result)
    return {named[c.id]: c.layer for c in result.ecosystem.components}


def products(result: DiscoveryResult) -> dict[str, set[str]]:
    named = names(result)
    return {p.name or p.id: {named[u] for u in p.uses} for p in result.ecosystem.products}


def dsl(write, text: str, name: str = "workspace.dsl") -> Path:
    return write(name, textwrap.dedent(text).lstrip("\n"))


def workspace_json(write, model: dict, name: str = "workspace.json", **top) -> Path:
    return write(name, json.dumps({"name": "W", **top, "model": model}, indent=2))


# -- the real examples ------------------------------------------------------------------

# Big Bank plc, counted by hand from dsl/big-bank-plc/workspace.dsl (26 relationships):
# 9 have a person at one end (not dependencies); internetBankingSystem -> mainframe and
# -> email are implied by the components' relationships (the API Application's
# facade and e-mail component); the 13 component relationships lift onto their
# containers: three from each app to the API Application dedupe to one, the four
# between components of the API Application are inside it; what is left is below.
BIG_BANK_CONTAINERS = {
    ("Web Application", "Single-Page Application"),
    ("Single-Page Application", "API Application"),
    ("Mobile App", "API Application"),
    ("API Application", "Database"),
    ("API Application", "Mainframe Banking System"),
    ("API Application", "E-mail System"),
    ("ATM", "Mainframe Banking System"),
}
# At component level the API Application is replaced by its six components and all
# 13 component relationships stay, plus the two container/system ones that remain.
BIG_BANK_COMPONENTS = {
    ("Web Application", "Single-Page Application"),
    ("Single-Page Application", "Sign In Controller"),
    ("Single-Page Application", "Accounts Summary Controller"),
    ("Single-Page Application", "Reset Password Controller"),
    ("Mobile App", "Sign In Controller"),
    ("Mobile App", "Accounts Summary Controller"),
    ("Mobile App", "Reset Password Controller"),
    ("Sign In Controller", "Security Component"),
    ("Accounts Summary Controller", "Mainframe Banking System Facade"),
    ("Reset Password Controller", "Security Component"),
    ("Reset Password Controller", "E-mail Component"),
    ("Security Component", "Database"),
    ("Mainframe Banking System Facade", "Mainframe Banking System"),
    ("E-mail Component", "E-mail System"),
    ("ATM", "Mainframe Banking System"),
}
BIG_BANK_APPS = {"Single-Page Application", "Mobile App", "Web Application", "API Application"}


@needs_examples
@pytest.mark.parametrize(
    "path", ["dsl/big-bank-plc/workspace.dsl", "json/big-bank-plc/workspace.json"]
)
def test_big_bank_at_container_level(path: str) -> None:
    result = import_structurizr(EXAMPLES / path)
    assert components(result) == BIG_BANK_APPS | {
        "Database",
        "Mainframe Banking System",
        "E-mail System",
        "ATM",
    }
    assert edges(result) == BIG_BANK_CONTAINERS
    assert layers(result)["Database"] == "infrastructure"  # Oracle Database Schema
    assert layers(result)["Single-Page Application"] == "ui"  # tag Web Browser
    assert layers(result)["Mobile App"] == "ui"  # tag Mobile App
    assert layers(result)["Web Application"] == "ui"  # the customer visits it
    assert layers(result)["API Application"] == "algorithms"
    assert products(result)["Internet Banking System"] == {
        "Single-Page Application",
        "Mobile App",
        "Web Application",
    }
    assert result.skipped["structurizr person"] == 3
    assert result.skipped["structurizr relationship with a person"] == 9
    assert result.skipped["structurizr component folded into its container"] == 6
    assert result.skipped["structurizr deployment node"] == 21
    assert result.problems == ()
    assert result.ecosystem.name == "Big Bank plc"


@needs_examples
@pytest.mark.parametrize(
    "path", ["dsl/big-bank-plc/workspace.dsl", "json/big-bank-plc/workspace.json"]
)
def test_big_bank_at_component_level(path: str) -> None:
    result = import_structurizr(EXAMPLES / path, level="component")
    assert edges(result) == BIG_BANK_COMPONENTS
    assert "API Application" not in components(result)
    assert len(components(result)) == 13
    assert result.skipped["structurizr container with components"] == 1


@needs_examples
@pytest.mark.parametrize("level", ["container", "component"])
@pytest.mark.parametrize("example", ["big-bank-plc", "financial-risk-system", "getting-started"])
def test_the_dsl_and_the_json_of_the_same_model_agree(example: str, level: str) -> None:
    # The JSON was made from the Java examples; for these three it is the same model
    # (checked by reading both). Big Bank differs in one relationship's technology
    # (SQL/TCP in the DSL, JDBC in the JSON), which is evidence, not structure.
    from_dsl = import_structurizr(EXAMPLES / "dsl" / example / "workspace.dsl", level=level)
    from_json = import_structurizr(EXAMPLES / "json" / example / "workspace.json", level=level)
    assert {c.id for c in from_dsl.ecosystem.components} == {
        c.id for c in from_json.ecosystem.components
    }
    assert edges(from_dsl) == edges(from_json)
    assert layers(from_dsl) == layers(from_json)
    assert products(from_dsl) == products(from_json)


@needs_examples
@pytest.mark.parametrize(
    "path", ["dsl/financial-risk-system/workspace.dsl", "json/financial-risk-system/workspace.json"]
)
def test_financial_risk_system(path: str) -> None:
    # 9 relationships: 3 with a person, 6 from the risk system to the others.
    result = import_structurizr(EXAMPLES / path)
    frs = "Financial Risk System"
    assert edges(result) == {
        (frs, "Trade Data System"),
        (frs, "Reference Data System"),
        (frs, "Reference Data System v2.0"),
        (frs, "E-mail system"),
        (frs, "Central Monitoring Service"),
        (frs, "Active Directory"),
    }
    assert len(components(result)) == 7
    # A system without containers that people use is a product of its own.
    assert products(result) == {frs: {frs}}


@needs_examples
def test_microservices_hierarchical_identifiers_groups_archetypes_and_this() -> None:
    result = import_structurizr(EXAMPLES / "dsl/microservices/workspace.dsl")
    # 26 relationships: 2 from the user; 8 "serviceNApi -> this" to each service's
    # datastore; 2 implicit-source ones to the external systems; 14 written at the
    # software system's level.
    apis = [f"Service {n} API" for n in range(1, 9)]
    stores = {n: f"Service {n} Database Schema" for n in range(1, 9)}
    stores[3] = "Service 3 Database"
    expected = {(f"Service {n} API", stores[n]) for n in range(1, 9)}
    expected |= {
        ("Service 5 API", "Software System B"),
        ("Service 6 API", "Software System C"),
        ("Web Server", "UI"),
    }
    expected |= {("UI", api) for api in apis[:5]}
    expected |= {
        (f"Service {a} API", f"Service {b} API")
        for a, b in ((1, 2), (1, 3), (2, 4), (2, 5), (3, 4), (3, 7), (4, 6), (7, 8))
    }
    assert edges(result) == expected
    assert len(expected) == 24
    assert len(components(result)) == 20
    assert result.skipped["structurizr group"] == 8
    assert all(layers(result)[s] == "infrastructure" for s in stores.values())  # MySQL
    assert layers(result)["UI"] == "ui"  # tag Single Page Application
    assert layers(result)["Web Server"] == "infrastructure"  # Nginx
    # The external systems (archetype tag External) are components, not products.
    assert set(products(result)) == {"Software System A"}
    assert products(result)["Software System A"] == {"Web Server", "UI"}
    # The group is kept where rules can match it.
    found = discover_structurizr(EXAMPLES / "dsl/microservices/workspace.dsl")
    api1 = next(s for s in found.components if s.name == "Service 1 API")
    assert api1.facts["spec"]["group"] == "Service 1"
    assert api1.technology == "Java and Spring Boot"
    assert "API" in api1.tags


@needs_examples
def test_extends_reads_the_base_model() -> None:
    result = import_structurizr(EXAMPLES / "dsl/big-bank-plc/system-landscape/workspace.dsl")
    # The base model.dsl has the four systems and nine relationships (six with a
    # person); the Internet Banking System has no containers there.
    assert edges(result) == {
        ("Internet Banking System", "Mainframe Banking System"),
        ("Internet Banking System", "E-mail System"),
        ("ATM", "Mainframe Banking System"),
    }
    assert result.ecosystem.name == "Big Bank plc - System Landscape"
    assert len(result.files) == 2
    ibs = import_structurizr(EXAMPLES / "dsl/big-bank-plc/internet-banking-system/workspace.dsl")
    assert edges(ibs) == BIG_BANK_CONTAINERS
    spa = component(ibs, "Single-Page Application")
    assert spa.provenance[0].file.endswith("internet-banking-system/workspace.dsl")
    assert spa.provenance[0].line == 9


@needs_examples
def test_amazon_web_services_dsl_and_json_are_different_models() -> None:
    from_dsl = import_structurizr(EXAMPLES / "dsl/amazon-web-services/workspace.dsl")
    from_json = import_structurizr(EXAMPLES / "json/amazon-web-services/workspace.json")
    assert edges(from_dsl) == {("Web Application", "Database Schema")}
    assert edges(from_json) == {("Web Application", "Database")}  # "Spring PetClinic"
    assert from_dsl.skipped["structurizr infrastructure node"] == 2
    assert from_dsl.skipped["structurizr deployment node"] == 6


@needs_examples
def test_provenance_names_the_file_line_and_relationship() -> None:
    path = EXAMPLES / "dsl/big-bank-plc/workspace.dsl"
    result = import_structurizr(path)
    by_name = {c.name or c.id: c for c in result.ecosystem.components}
    api = by_name["API Application"]
    assert api.provenance[0].line == 24
    assert api.provenance[0].evidence == "container 'API Application'"
    to_db = next(d for d in api.depends_on if d.target == by_name["Database"].id)
    (record,) = to_db.provenance
    assert (record.source, record.file, record.line) == ("structurizr", str(path), 64)
    assert record.evidence == "Security Component -> Database: Reads from and writes to [SQL/TCP]"
    spa = by_name["Single-Page Application"]
    assert len(spa.depends_on[0].provenance) == 3  # three lifted relationships
    json_path = EXAMPLES / "json/big-bank-plc/workspace.json"
    text = json_path.read_text().splitlines()
    result = import_structurizr(json_path)
    api = component(result, "API Application")
    line = api.provenance[0].line
    assert text[line - 1].strip() == "{"  # the element's object starts here
    assert text[line].strip() == '"id": "11",'


# -- the mapping rules, on workspaces of our own -------------------------------------------


def test_components_fold_into_their_container_without_self_loops(write) -> None:
    path = dsl(
        write,
        """
        workspace "Shop" {
            model {
                shop = softwareSystem "Shop" {
                    web = container "Web" "" "React" {
                        -> api "calls"
                    }
                    api = container "API" {
                        a = component "A"
                        b = component "B"
                        c = component "C"
                    }
                    db = container "Orders DB" "" "PostgreSQL"
                }
                a -> b "uses"
                a -> db "reads"
                c -> db "writes"
                b -> c
            }
        }
        """,
    )
    result = import_structurizr(path)
    assert edges(result) == {("Web", "API"), ("API", "Orders DB")}
    api = component(result, "API")
    assert len(api.depends_on[0].provenance) == 2  # a -> db and c -> db, one dependency
    assert result.skipped["structurizr relationship within one component"] == 2
    assert layers(result) == {"Web": "ui", "API": "algorithms", "Orders DB": "infrastructure"}
    assert products(result) == {"Shop": {"Web"}}
    apart = import_structurizr(path, level="component")
    # Web -> API names a container that has components, and none of them says which
    # one Web calls: reported, not guessed.
    assert edges(apart) == {("A", "B"), ("A", "Orders DB"), ("C", "Orders DB"), ("B", "C")}
    assert len(apart.problems) == 1
    assert "'API' has components" in apart.problems[0].message
    assert apart.problems[0].line == 5


def test_implied_relationships_are_not_extra_dependencies(write) -> None:
    path = dsl(
        write,
        """
        workspace {
            model {
                a = softwareSystem "A" {
                    a1 = container "A1"
                }
                b = softwareSystem "B"
                c = softwareSystem "C" {
                    c1 = container "C1"
                }
                a -> b "written at system level, implied by a1 -> b"
                a1 -> b
                a -> c "nothing finer says which container"
            }
        }
        """,
    )
    result = import_structurizr(path)
    assert edges(result) == {("A1", "B")}
    assert result.skipped["structurizr implied relationship"] == 1
    (problem,) = result.problems
    assert problem.line == 12 and "'A' has containers" in problem.message


def test_json_linked_relationships_are_implied(write) -> None:
    model = {
        "softwareSystems": [
            {
                "id": "1",
                "name": "A",
                "containers": [
                    {
                        "id": "2",
                        "name": "Web",
                        "tags": "Element,Container,Web Browser",
                        "relationships": [
                            {"id": "10", "sourceId": "2", "destinationId": "4"},
                            {
                                "id": "11",
                                "sourceId": "2",
                                "destinationId": "3",
                                "linkedRelationshipId": "10",
                            },
                        ],
                    },
                    {
                        "id": "3",
                        "name": "API",
                        "technology": "Go",
                        "components": [{"id": "4", "name": "Handler"}],
                    },
                ],
                "relationships": [
                    {"id": "12", "sourceId": "1", "destinationId": "9", "description": "x"},
                    {
                        "id": "13",
                        "sourceId": "1",
                        "destinationId": "5",
                        "linkedRelationshipId": "10",
                    },
                ],
            },
            {"id": "5", "name": "Payments", "location": "External"},
        ]
    }
    result = import_structurizr(workspace_json(write, model))
    assert edges(result) == {("Web", "API")}
    assert result.skipped["structurizr implied relationship"] == 2
    (problem,) = result.problems
    assert "no element has that id" in problem.message and problem.line is not None
    assert products(result) == {"A": {"Web"}}  # the external system is no product


def test_people_are_not_components_and_mark_entry_points(write) -> None:
    path = dsl(
        write,
        """
        workspace {
            model {
                u = person "Clerk"
                s = softwareSystem "Back Office" {
                    console = container "Console" "" "Java Swing"
                    svc = container "Service"
                }
                u -> console "uses"
                console -> svc
                svc -> u "notifies"
            }
        }
        """,
    )
    result = import_structurizr(path)
    assert components(result) == {"Console", "Service"}
    assert layers(result)["Console"] == "ui"
    assert products(result) == {"Back Office": {"Console"}}
    assert result.skipped == {
        "structurizr person": 1,
        "structurizr relationship with a person": 2,
        "structurizr software system with containers": 1,
    }


def test_external_systems_are_components_but_not_products(write) -> None:
    path = dsl(
        write,
        """
        workspace {
            model {
                u = person "U"
                mine = softwareSystem "Mine"
                theirs = softwareSystem "Theirs" "" "External"
                u -> mine
                u -> theirs
                mine -> theirs
            }
        }
        """,
    )
    result = import_structurizr(path)
    assert edges(result) == {("Mine", "Theirs")}
    assert products(result) == {"Mine": {"Mine"}}


def test_same_container_names_in_two_systems_stay_apart(write) -> None:
    path = dsl(
        write,
        """
        workspace {
            model {
                a = softwareSystem "A" {
                    adb = container "Database" "" "" "Database"
                    aapp = container "App"
                }
                b = softwareSystem "B" {
                    bdb = container "Database"
                }
                aapp -> adb
                aapp -> bdb
            }
        }
        """,
    )
    result = import_structurizr(path)
    assert edges(result) == {("App", "Database (A)"), ("App", "Database (B)")}


def test_hierarchical_identifiers(write) -> None:
    path = dsl(
        write,
        """
        workspace {
            !identifiers hierarchical
            model {
                a = softwareSystem "A" {
                    web = container "Web"
                    api = container "API" {
                        h = component "Handler"
                    }
                    web -> api
                }
                b = softwareSystem "B" {
                    web = container "B Web"
                }
                b.web -> a.api.h
                a.web -> b.web
            }
        }
        """,
    )
    result = import_structurizr(path)
    assert edges(result) == {("Web", "API"), ("B Web", "API"), ("Web", "B Web")}
    flat = path.read_text().replace("!identifiers hierarchical", "")
    with pytest.raises(InputError) as caught:
        import_structurizr(write("flat.dsl", flat))
    (problem,) = caught.value.problems
    assert "already in use" in problem.message and (problem.line, problem.column) == (12, 13)


def test_include_files_and_folders_constants_and_this(write) -> None:
    write("parts/1-systems.dsl", 's = softwareSystem "${SYSTEM}" {\n  w = container "Web"\n}\n')
    write("parts/2-more.dsl", 'd = softwareSystem "Data" {\n  w -> this "reads" "${PROTO}"\n}\n')
    write("people.dsl", 'u = person "User"\nu -> w\n')
    path = dsl(
        write,
        """
        workspace {
            !const SYSTEM "Shop"
            !var PROTO HTTPS
            model {
                !include parts
                !include people.dsl
                !include https://example.com/model.dsl
            }
        }
        """,
    )
    result = import_structurizr(path)
    assert components(result) == {"Web", "Data"}
    assert edges(result) == {("Web", "Data")}
    web = component(result, "Web")
    assert web.depends_on[0].provenance[0].evidence == "Web -> Data: reads [HTTPS]"
    assert web.depends_on[0].provenance[0].file.endswith("2-more.dsl")
    assert products(result) == {"Shop": {"Web"}}
    (problem,) = result.problems
    assert "URL is not fetched" in problem.message and problem.line == 7
    assert len(result.files) == 4


def test_an_include_cycle_is_an_error(write) -> None:
    write("a.dsl", "!include b.dsl\n")
    write("b.dsl", "!include a.dsl\n")
    path = dsl(write, "workspace {\n  model {\n    !include a.dsl\n  }\n}\n")
    with pytest.raises(InputError, match="includes itself"):
        import_structurizr(path)


def test_scripts_views_and_deployment_are_skipped_not_run(write, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = dsl(
        write,
        f"""
        workspace {{
            model {{
                s = softwareSystem "S" {{
                    c = container "C"
                }}
                !script groovy {{
                    new File("{marker}").text = "x"
                    workspace.model.softwareSystems.each {{ it.addTags("x") }}
                }}
                !plugin com.example.Plugin
                prod = deploymentEnvironment "Prod" {{
                    deploymentNode "Server" {{
                        infrastructureNode "LB"
                        containerInstance c
                    }}
                }}
            }}
            views {{
                container s "C" {{
                    include *
                    autolayout lr
                }}
                styles {{
                    element "Element" {{
                        color #ffffff
                    }}
                }}
            }}
            configuration {{
                scope softwaresystem
            }}
        }}
        """,
    )
    result = import_structurizr(path)
    assert components(result) == {"C"}
    assert not marker.exists()
    assert [p.line for p in result.problems] == [6, 10]
    assert all("never run" in p.message for p in result.problems)
    assert result.skipped["structurizr deployment node"] == 1
    assert result.skipped["structurizr infrastructure node"] == 1
    assert result.skipped["structurizr container instance"] == 1


def test_archetypes_relationship_archetypes_properties_and_details(write) -> None:
    path = dsl(
        write,
        """
        workspace {
            model {
                archetypes {
                    app = container {
                        technology "Python"
                        tag "App"
                    }
                    queue = container {
                        technology "RabbitMQ"
                    }
                    https = -> {
                        technology "HTTPS"
                    }
                }
                s = softwareSystem "S" {
                    api = app "API" {
                        description "The API"
                        properties {
                            owner "team-a"
                        }
                    }
                    q = queue "Events"
                    gui = container "Console" {
                        technology "Angular"
                        tags "Frontend" "Internal"
                    }
                    gui --https-> api "calls"
                    api -> q "publishes" {
                        tags "Async"
                    }
                }
            }
        }
        """,
    )
    found = discover_structurizr(path)
    api = next(s for s in found.components if s.name == "API")
    assert (api.technology, api.description, api.tags) == ("Python", "The API", ("App",))
    assert api.facts["spec"]["properties"] == {"owner": "team-a"}
    assert found.links[0].evidence == "Console -> API: calls [HTTPS]"
    result = import_structurizr(path)
    assert layers(result) == {"API": "algorithms", "Events": "infrastructure", "Console": "ui"}
    rules = LayerRules(rules=(LayerRule("infrastructure", (("tag", ("app",)),)),))
    assert layers(import_structurizr(path, rules=rules))["API"] == "infrastructure"


def test_unknown_identifiers_are_reported_not_invented(write) -> None:
    path = dsl(
        write,
        """
        workspace {
            model {
                a = softwareSystem "A"
                a -> nowhere "calls"
                !ref ghost {
                    description "x"
                }
            }
        }
        """,
    )
    result = import_structurizr(path)
    assert components(result) == {"A"}
    assert sorted((p.line, p.column) for p in result.problems) == [(4, 14), (5, 14)]
    assert any("'nowhere'" in p.message for p in result.problems)


def test_the_level_must_be_known(write) -> None:
    path = dsl(write, 'workspace {\n model {\n  a = softwareSystem "A"\n }\n}\n')
    with pytest.raises(ValueError, match="container, component"):
        import_structurizr(path, level="code")


# -- bad input, wrong kinds ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('workspace {\n model {\n  a = softwareSystem "A\n }\n}\n', 3, 22, "not closed"),
        ('workspace {\n model {\n  c = container "C"\n }\n}\n', 3, 7, "inside a software system"),
        ('workspace {\n model {\n  a = softwareSystem "A"\n', 2, 2, "never closed"),
        ("workspace {\n model {\n  -> a\n }\n}\n", 3, 3, "without a source"),
        ("workspace {\n model {\n  a = softwareSystem\n }\n}\n", 3, 7, "needs a name"),
        (
            'workspace {\n model {\n  a = softwareSystem "A"\n  b = softwareSystem "A"\n }\n}\n',
            4,
            22,
            "twice",
        ),
        ("workspace {\n}\n}\n", 3, 1, "after the workspace"),
    ],
)
def test_malformed_dsl_names_file_line_and_column(
    write, text: str, line: int, column: int, words: str
) -> None:
    path = write("bad.dsl", text)
    with pytest.raises(InputError) as caught:
        import_structurizr(path)
    (problem,) = caught.value.problems
    assert words in problem.message
    assert (problem.file, problem.line, problem.column) == (str(path), line, column)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("notes.dsl", "Remember to buy milk.\n"),
        ("empty.dsl", ""),
        ("compose.json", '{"services": {"web": {"image": "nginx"}}}'),
        ("catalog.json", '{"apiVersion": "backstage.io/v1alpha1", "kind": "Component"}'),
        ("model.json", '{"name": "x", "components": []}'),
        ("list.json", "[1, 2]"),
        ("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\n"),
        ("compose.yaml", "services:\n  web:\n    image: nginx\n"),
        ("bomb.yaml", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"),
        ("tag.yaml", "x: !!python/object:os.system ls\n"),
    ],
)
def test_a_file_of_the_wrong_kind_is_an_input_error(write, name: str, text: str) -> None:
    path = write(name, text)
    with pytest.raises(InputError) as caught:
        import_structurizr(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path) and problem.line is not None
    assert "not a Structurizr" in problem.message


@pytest.mark.parametrize(
    ("name", "data", "line", "words"),
    [
        ("dup.json", '{"model": {"people": [], "people": []}}', 1, "duplicate"),
        ("bytes.json", b'{"model": {"people": [{"id": "1", "name": "\xff"}]}}', 1, "UTF-8"),
        ("bytes.dsl", b'workspace {\n model {\n  a = person "\xff"\n }\n}\n', 3, "UTF-8"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, 1, "deep"),
        ("shape.json", '{"model": {"softwareSystems": {"id": "1"}}}', 1, "must be a list"),
        ("noname.json", '{"model": {"softwareSystems": [\n{"id": "1"}]}}', 2, "needs a 'name'"),
        (
            "twice.json",
            '{"model": {"people": [{"id": "1", "name": "a"},\n{"id": "1", "name": "b"}]}}',
            2,
            "used twice",
        ),
    ],
)
def test_hostile_or_malformed_json_is_an_input_error_with_file_and_line(
    write, name: str, data: str | bytes, line: int, words: str
) -> None:
    path = write(name, data)
    with pytest.raises(InputError) as caught:
        import_structurizr(path)
    problem = caught.value.problems[0]
    assert words in problem.message
    assert (problem.file, problem.line) == (str(path), line)


def test_a_missing_file_or_include_is_a_read_error(write, tmp_path: Path) -> None:
    with pytest.raises(ReadError):
        import_structurizr(tmp_path / "missing.dsl")
    path = dsl(write, "workspace {\n model {\n  !include nowhere.dsl\n }\n}\n")
    with pytest.raises(InputError) as caught:
        import_structurizr(path)
    assert caught.value.problems[0].line == 3


def test_content_is_sniffed_when_the_name_says_nothing(write) -> None:
    text = '// a comment\nworkspace {\n model {\n  a = softwareSystem "A"\n }\n}\n'
    assert components(import_structurizr(write("model.txt", text))) == {"A"}
    as_json = json.dumps({"model": {"softwareSystems": [{"id": "1", "name": "B"}]}})
    assert components(import_structurizr(write("export", as_json))) == {"B"}


def test_comments_continuations_text_blocks_and_canonical_refs(write) -> None:
    path = dsl(
        write,
        '''
        /* a workspace
           with a block comment */
        workspace {
            # a comment
            // another
            model {
                a = softwareSystem "A" \\
                    "described on the next line"
                b = softwareSystem "B" {
                    description """
                        A text block
                        on two lines
                    """
                }
                !ref "SoftwareSystem://A" {
                    c = container "C" "" "Go"
                }
                c -> b "uses"
            }
        }
        ''',
    )
    result = import_structurizr(path)
    assert edges(result) == {("C", "B")}
    assert component(result, "B").description == "A text block\non two lines"
    assert component(result, "C").provenance[0].line == 16
    assert result.problems == ()
