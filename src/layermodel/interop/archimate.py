"""ArchiMate export: the Open Group Model Exchange File Format (ArchiMate 3.x).

- Each product is a ``Product`` element; it aggregates the components it uses
  (``Aggregation`` relations, product to component).
- Each component is an ``ApplicationComponent``, ``Node`` or ``Device``, by its
  layer (:func:`element_types`).
- Each dependency is a ``Serving`` relation from the provider to the consumer.
- Each layer is an ``organizations`` folder, after a ``Products`` folder and
  followed by a ``Relations`` folder.
- One diagram view puts products in a top band, then one band per layer, with
  the positions of layermodel's layered layout (the one its diagrams use:
  :func:`layermodel.diagrams.layout.place`), so the view matches
  ``layermodel render --view ecosystem``. Layers with no component get no band.

Identifiers are ``id-`` followed by a kind letter and the layermodel id, which is
always a valid XML name. Characters XML cannot hold at all (control characters)
are replaced by U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from xml.etree import ElementTree as ET

from layermodel.model.entities import Ecosystem

__all__ = ["NAMESPACE", "element_types", "export_archimate"]

NAMESPACE = "http://www.opengroup.org/xsd/archimate/3.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NAMESPACE} http://www.opengroup.org/xsd/archimate/3.1/archimate3_Diagram.xsd"

_DEVICE_WORDS = re.compile(r"hardware|device|physical|data.?cent|equipment|metal", re.I)
_NODE_WORDS = re.compile(
    r"infra|platform|technology|\btech|network|cloud|runtime|storage|\bos\b|\bops\b", re.I
)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TYPES = ("ApplicationComponent", "Node", "Device")


def element_types(ecosystem: Ecosystem) -> dict[str, str]:
    """The ArchiMate element type of each layer.

    In order: an override in ``properties["archimate"]["layers"]`` of the model
    (``{layer id: ApplicationComponent | Node | Device}``); the layer's id or name
    (hardware, device, physical, data centre -> ``Device``; infrastructure,
    platform, technology, network, cloud, runtime, storage -> ``Node``); else the
    position: with four or more layers the bottom one is ``Device`` and the one
    above ``Node``; with three, the bottom one is ``Node``; everything else is an
    ``ApplicationComponent``.
    """
    layers = ecosystem.layers
    count = len(layers)
    override: Mapping[str, Any] = {}
    settings = ecosystem.properties.get("archimate")
    if isinstance(settings, dict) and isinstance(settings.get("layers"), dict):
        override = settings["layers"]
    out: dict[str, str] = {}
    for rank, layer in enumerate(layers):
        words = f"{layer.id} {layer.name or ''}"
        from_bottom = count - 1 - rank
        if override.get(layer.id) in _TYPES:
            out[layer.id] = str(override[layer.id])
        elif _DEVICE_WORDS.search(words):
            out[layer.id] = "Device"
        elif _NODE_WORDS.search(words):
            out[layer.id] = "Node"
        elif count >= 4 and from_bottom == 0:
            out[layer.id] = "Device"
        elif (count >= 4 and from_bottom == 1) or (count == 3 and from_bottom == 0):
            out[layer.id] = "Node"
        else:
            out[layer.id] = "ApplicationComponent"
    return out


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _text(parent: ET.Element, tag: str, text: str, lang: bool = True) -> ET.Element:
    node = ET.SubElement(parent, _q(tag))
    if lang:
        node.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    node.text = _clean(text)
    return node


def export_archimate(ecosystem: Ecosystem, *, row_width: float | None = None) -> str:
    """The model as an ArchiMate Open Exchange Format document (XML text).

    >>> import layermodel as lm
    >>> xml = export_archimate(lm.example())
    >>> xml.count('xsi:type="Serving"'), xml.count('xsi:type="Product"')
    (34, 3)

    ``row_width`` (inches) is where the view wraps a wide layer onto another row, as
    in :func:`layermodel.render`.
    """
    ET.register_namespace("", NAMESPACE)
    ET.register_namespace("xsi", XSI)
    types = element_types(ecosystem)
    xsi_type = f"{{{XSI}}}type"

    def cid(component_id: str) -> str:
        return f"id-c-{component_id}"

    def pid(product_id: str) -> str:
        return f"id-p-{product_id}"

    model = ET.Element(_q("model"), {"identifier": "id-model"})
    model.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    _text(model, "name", ecosystem.name)
    if ecosystem.description:
        _text(model, "documentation", ecosystem.description)

    props = [("layer", "Layer"), ("owner", "Owner"), ("lifecycle", "Lifecycle")]
    props += [("sourcing", "Sourcing"), ("evolution", "Evolution"), ("weight", "Weight")]
    prop_ids = {key: f"id-prop-{key}" for key, _ in props}

    def properties(parent: ET.Element, values: list[tuple[str, Any]]) -> None:
        kept = [(k, v) for k, v in values if v is not None]
        if not kept:
            return
        holder = ET.SubElement(parent, _q("properties"))
        for key, value in kept:
            prop = ET.SubElement(holder, _q("property"), {"propertyDefinitionRef": prop_ids[key]})
            _text(prop, "value", str(value))

    elements = ET.Element(_q("elements"))
    if ecosystem.products or ecosystem.components:
        model.append(elements)
    for p in ecosystem.products:
        el = ET.SubElement(elements, _q("element"), {"identifier": pid(p.id), xsi_type: "Product"})
        _text(el, "name", p.label)
        if p.description:
            _text(el, "documentation", p.description)
        properties(el, [("owner", p.owner), ("weight", _number(p.weight))])
    for c in ecosystem.components:
        el = ET.SubElement(
            elements, _q("element"), {"identifier": cid(c.id), xsi_type: types[c.layer]}
        )
        _text(el, "name", c.label)
        if c.description:
            _text(el, "documentation", c.description)
        properties(
            el,
            [
                ("layer", c.layer),
                ("owner", c.owner),
                ("lifecycle", c.lifecycle),
                ("sourcing", c.sourcing),
                ("evolution", c.evolution),
            ],
        )

    relations: list[tuple[str, str, str, str]] = []  # id, type, source, target
    for c in ecosystem.components:
        for dep in c.depends_on:
            relations.append((f"id-r{len(relations) + 1}", "Serving", cid(dep.target), cid(c.id)))
    for p in ecosystem.products:
        for used in p.uses:
            relations.append((f"id-r{len(relations) + 1}", "Aggregation", pid(p.id), cid(used)))
    if relations:
        holder = ET.SubElement(model, _q("relationships"))
        for rid, kind, source, target in relations:
            ET.SubElement(
                holder,
                _q("relationship"),
                {"identifier": rid, "source": source, "target": target, xsi_type: kind},
            )

    organizations = ET.SubElement(model, _q("organizations"))
    folders: list[tuple[str, list[str]]] = [("Products", [pid(p.id) for p in ecosystem.products])]
    folders += [
        (layer.label, [cid(c.id) for c in ecosystem.components_in(layer.id)])
        for layer in ecosystem.layers
    ]
    folders.append(("Relations", [rid for rid, *_ in relations]))
    for label, refs in folders:
        folder = ET.SubElement(organizations, _q("item"))
        _text(folder, "label", label)
        for ref in refs:
            ET.SubElement(folder, _q("item"), {"identifierRef": ref})

    definitions = ET.SubElement(model, _q("propertyDefinitions"))
    for key, label in props:
        definition = ET.SubElement(
            definitions, _q("propertyDefinition"), {"identifier": prop_ids[key], "type": "string"}
        )
        _text(definition, "name", label, lang=False)

    views = ET.SubElement(ET.SubElement(model, _q("views")), _q("diagrams"))
    view = ET.SubElement(views, _q("view"), {"identifier": "id-view-layers", xsi_type: "Diagram"})
    _text(view, "name", f"{ecosystem.name}: layers")
    from layermodel.diagrams.layout import MARGIN, place
    from layermodel.diagrams.scene import Scene, build_scene

    scene = build_scene(ecosystem, "ecosystem")
    assert isinstance(scene, Scene)
    placed = place(scene, row_width)
    node_of: dict[str, str] = {}
    for i, band in enumerate(placed.bands):
        is_products = i == 0 and bool(scene.products)
        container = ET.SubElement(
            view,
            _q("node"),
            {
                "identifier": f"id-band-{i}",
                xsi_type: "Container",
                "x": str(round(MARGIN)),
                "y": str(round(band.top)),
                "w": str(round(placed.width - 2 * MARGIN)),
                "h": str(round(band.bottom - band.top)),
            },
        )
        _text(container, "label", band.label)
        for row in band.rows:
            for name in row:
                element = pid(name.removeprefix("product:")) if is_products else cid(name)
                box = placed.boxes[name]
                node_id = f"id-n{element[2:]}"
                node_of[element] = node_id
                ET.SubElement(
                    container,
                    _q("node"),
                    {
                        "identifier": node_id,
                        "elementRef": element,
                        xsi_type: "Element",
                        "x": str(round(box.left)),
                        "y": str(round(box.top)),
                        "w": str(round(box.w)),
                        "h": str(round(box.h)),
                    },
                )
    for rid, _kind, source, target in relations:
        ET.SubElement(
            view,
            _q("connection"),
            {
                "identifier": f"id-v{rid[3:]}",
                "relationshipRef": rid,
                xsi_type: "Relationship",
                "source": node_of[source],
                "target": node_of[target],
            },
        )
    ET.indent(model)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(model, encoding="unicode") + "\n"
    )
