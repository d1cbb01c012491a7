"""ArchiMate exchange export: valid against the Open Group XSDs, well-formed whatever
the names, and faithful to the model."""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings

import layermodel as lm
from layermodel.interop.archimate import NAMESPACE, element_types, export_archimate
from tests.conftest import SHARED_FIXTURES
from tests.interop.examples import example_models
from tests.strategies import ecosystems

XSD = SHARED_FIXTURES / "archimate" / "xsd"
needs_xsd = pytest.mark.skipif(
    not (XSD / "archimate3_Diagram.xsd").is_file(),
    reason=f"the ArchiMate exchange XSDs are not at {XSD}",
)
etree = pytest.importorskip(
    "lxml.etree", reason="lxml (a dev dependency) validates against the XSDs"
)
NS = {"a": NAMESPACE, "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


@cache
def schema() -> object:
    class Offline(etree.Resolver):  # the XSDs import xml.xsd from w3.org: use the local copy
        def resolve(self, url, public_id, context):  # type: ignore[no-untyped-def]
            if url and url.endswith("xml.xsd"):
                return self.resolve_filename(str(XSD / "xml.xsd"), context)
            return None

    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(Offline())
    return etree.XMLSchema(etree.parse(str(XSD / "archimate3_Diagram.xsd"), parser))


def assert_valid(xml: str) -> None:
    document = etree.fromstring(xml.encode("utf-8"))
    validator = schema()
    assert validator.validate(document), str(validator.error_log)  # type: ignore[attr-defined]


@needs_xsd
def test_the_xsd_accepts_the_open_group_sample_and_rejects_a_broken_one() -> None:
    sample = (SHARED_FIXTURES / "archimate" / "examples" / "sample1.xml").read_text()
    assert_valid(sample)
    with pytest.raises(AssertionError):
        assert_valid(sample.replace('xsi:type="Assignment"', 'xsi:type="Depends"'))


@needs_xsd
@pytest.mark.parametrize(
    ("name", "eco"), example_models(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_example_exports_to_valid_archimate(name: str, eco: lm.Ecosystem) -> None:
    assert_valid(export_archimate(eco))


@needs_xsd
@settings(max_examples=40)
@given(eco=ecosystems())
def test_any_model_exports_to_valid_archimate(eco: lm.Ecosystem) -> None:
    assert_valid(export_archimate(eco))


def test_names_with_xml_special_characters_give_well_formed_xml() -> None:
    nasty = "R&D <\"quoted\"> 'single' ]]> \x00\x1b end"
    eco = lm.Ecosystem(
        name=nasty,
        description=nasty,
        layers=[lm.Layer(id="ui", name=nasty), lm.Layer(id="hw")],
        components=[
            lm.Component(
                id="a", name=nasty, description=nasty, owner=nasty, layer="ui", depends_on=["b"]
            ),
            lm.Component(id="b", name="<b/>", layer="hw"),
        ],
        products=[lm.Product(id="p", name=nasty, uses=["a"])],
    )
    xml = export_archimate(eco)
    root = ET.fromstring(xml)  # well-formed, or this raises
    names = [n.text for n in root.iterfind("a:elements/a:element/a:name", NS)]
    assert names[0] == "R&D <\"quoted\"> 'single' ]]> \ufffd\ufffd end"
    assert "<b/>" in names
    if (XSD / "archimate3_Diagram.xsd").is_file():
        assert_valid(xml)


def test_the_mapping_of_products_components_dependencies_and_layers() -> None:
    eco = lm.example()
    root = ET.fromstring(export_archimate(eco))
    types = {
        e.get("identifier"): e.get(XSI_TYPE) for e in root.iterfind("a:elements/a:element", NS)
    }
    assert types["id-p-search"] == "Product"
    assert types["id-c-search-box"] == "ApplicationComponent"
    assert types["id-c-distributed-db"] == "Node"
    assert types["id-c-vms"] == "Device"
    relations = {
        (r.get(XSI_TYPE), r.get("source"), r.get("target"))
        for r in root.iterfind("a:relationships/a:relationship", NS)
    }
    # distributed-db runs on vms: vms serves distributed-db
    assert ("Serving", "id-c-vms", "id-c-distributed-db") in relations
    assert ("Aggregation", "id-p-search", "id-c-search-box") in relations
    assert len(relations) == 34 + sum(len(p.uses) for p in eco.products)
    folders = [
        f.findtext("a:label", namespaces=NS) for f in root.iterfind("a:organizations/a:item", NS)
    ]
    assert folders == ["Products", "UI", "Algorithms", "Infrastructure", "Hardware", "Relations"]
    hardware = root.findall("a:organizations/a:item", NS)[4]
    assert [i.get("identifierRef") for i in hardware.iterfind("a:item", NS)] == [
        "id-c-vms",
        "id-c-data-centres",
    ]


def test_the_view_places_each_layer_in_its_own_band_top_to_bottom() -> None:
    eco = lm.example()
    root = ET.fromstring(export_archimate(eco, row_width=4))
    view = root.find("a:views/a:diagrams/a:view", NS)
    assert view is not None
    bands = view.findall("a:node", NS)
    assert [b.findtext("a:label", namespaces=NS) for b in bands] == [
        "Products",
        "UI",
        "Algorithms",
        "Infrastructure",
        "Hardware",
    ]
    tops = [int(b.get("y", "0")) for b in bands]
    assert tops == sorted(tops)
    for band in bands:
        y0, y1 = int(band.get("y", "0")), int(band.get("y", "0")) + int(band.get("h", "0"))
        children = band.findall("a:node", NS)
        assert all(
            y0 <= int(n.get("y", "0")) and int(n.get("y", "0")) + int(n.get("h", "0")) <= y1
            for n in children
        )
    algorithms = bands[2].findall("a:node", NS)
    assert len({n.get("y") for n in algorithms}) > 1  # 8 components wrap at 4 inches
    for upper, lower in pairwise(bands):
        assert int(upper.get("y", "0")) + int(upper.get("h", "0")) < int(lower.get("y", "0"))
    connections = view.findall("a:connection", NS)
    assert len(connections) == len(root.findall("a:relationships/a:relationship", NS))


def test_layer_types_by_name_position_and_override() -> None:
    def types(*layers: str, **props: object) -> list[str]:
        eco = lm.Ecosystem(name="x", layers=[lm.Layer(id=i) for i in layers], properties=props)
        return list(element_types(eco).values())

    assert types("a", "b", "c", "d") == [
        "ApplicationComponent",
        "ApplicationComponent",
        "Node",
        "Device",
    ]
    assert types("front", "back", "data") == [
        "ApplicationComponent",
        "ApplicationComponent",
        "Node",
    ]
    assert types("apps", "cloud") == ["ApplicationComponent", "Node"]
    assert types("only") == ["ApplicationComponent"]
    assert types("a", "b", archimate={"layers": {"a": "Device"}}) == [
        "Device",
        "ApplicationComponent",
    ]
