"""The Structurizr DSL's model section, tokenised and parsed, to a :class:`Workspace`.

The DSL is line based: each line is one statement of whitespace-separated tokens
(``"quoted texts"`` may hold spaces; ``\"\"\"`` text blocks may span lines), a
statement ending in ``{`` opens a block and a line ``}`` closes it. ``#`` and ``//``
lines and ``/* ... */`` are comments; a line ending in ``\\`` continues on the next.

Understood: ``workspace [extends FILE]``, ``name``, ``description``, ``model`` with
``person``, ``softwareSystem``, ``container``, ``component``, ``element``,
``group`` (and the old ``enterprise``), ``archetypes`` and elements made from them,
relationships (``a -> b "description" "technology" "tags"``, ``-> b`` inside an
element's block, ``this``, ``--archetype->``) at any nesting, ``!ref``/``!element``/
``!extend`` of an element defined before (by identifier or canonical name),
``!identifiers hierarchical`` (``a.b.c``), ``!include`` of files and folders
(relative to the including file), ``!const``/``!constant``/``!var`` with ``${NAME}``
substitution, ``properties``, ``tags``/``tag``, ``description``, ``technology``.

Skipped: ``views``, ``configuration``, styles, ``!docs``, ``!adrs``, and deployment
environments (their nodes and instances are counted as skipped). ``!script`` and
``!plugin`` are reported and never run; an ``!include`` of a URL is reported and not
fetched. Errors name file, line and column.
"""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from layermodel.errors import InputError, Problem
from layermodel.interop.structurizr.mapping import (
    Element,
    Kind,
    Relationship,
    Workspace,
    split_tags,
)
from layermodel.model.io import Source, read_source

__all__ = ["read_workspace_dsl"]

_MAX_INCLUDE_DEPTH = 32
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_CONSTANT = re.compile(r"\$\{([A-Za-z0-9_.-]+)\}")
_ARROW = re.compile(r"^(?:->|--(.*)->)$")
_IDENTIFIER = re.compile(r"^\w[\w-]*$")

_BASE_KINDS: dict[str, Kind | str] = {
    "person": "Person",
    "softwaresystem": "SoftwareSystem",
    "container": "Container",
    "component": "Component",
    "element": "CustomElement",
    "group": "group",
}
# Positional arguments after the name, by kind.
_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "Person": ("description", "tags"),
    "SoftwareSystem": ("description", "tags"),
    "Container": ("description", "technology", "tags"),
    "Component": ("description", "technology", "tags"),
    "CustomElement": ("technology", "description", "tags"),
}
_PARENT: dict[str, str | None] = {
    "Person": None,
    "SoftwareSystem": None,
    "CustomElement": None,
    "Container": "SoftwareSystem",
    "Component": "Container",
}
_DEPLOYMENT = {
    "deploymentnode": "deployment node",
    "infrastructurenode": "infrastructure node",
    "containerinstance": "container instance",
    "softwaresysteminstance": "software system instance",
    "deploymentgroup": "deployment group",
    "healthcheck": "health check",
}


@dataclass
class _Token:
    text: str
    quoted: bool
    line: int
    column: int


@dataclass
class _Statement:
    tokens: list[_Token]
    file: str
    line: int
    opens: bool = False

    @property
    def closes(self) -> bool:
        return len(self.tokens) == 1 and not self.tokens[0].quoted and self.tokens[0].text == "}"

    def word(self, index: int = 0) -> str:
        """The token at ``index`` in lower case ('' for a quoted one or none)."""
        if index >= len(self.tokens) or self.tokens[index].quoted:
            return ""
        return self.tokens[index].text.lower()


def _fail(message: str, file: str, line: int | None, column: int | None = None) -> InputError:
    return InputError([Problem(message, file=file, line=line, column=column)])


class _File:
    """One DSL file's lines, read one statement at a time."""

    def __init__(self, source: Source) -> None:
        self.name = source.name
        self.lines = source.text.splitlines()
        self.index = 0

    def raw(self) -> tuple[int, str] | None:
        if self.index >= len(self.lines):
            return None
        self.index += 1
        return self.index, self.lines[self.index - 1]

    def statement(self) -> _Statement | None:
        while True:
            got = self.raw()
            if got is None:
                return None
            number, text = got
            stripped = text.strip()
            if not stripped or stripped.startswith(("#", "//")):
                continue
            if stripped.startswith("/*"):
                self.skip_comment(number, text)
                continue
            while text.rstrip().endswith("\\") and self.index < len(self.lines):
                text = text.rstrip()[:-1] + " " + self.lines[self.index]
                self.index += 1
            tokens = self.tokenize(number, text)
            if not tokens:
                continue
            statement = _Statement(tokens, self.name, number)
            last = tokens[-1]
            if (
                not last.quoted
                and last.text.endswith("{")
                and not (len(tokens) == 1 and last.text == "{")
            ):
                if last.text == "{":
                    tokens.pop()
                else:
                    last.text = last.text[:-1]
                statement.opens = True
            return statement

    def skip_comment(self, number: int, text: str) -> None:
        if "*/" in text[text.index("/*") + 2 :]:
            return
        while True:
            got = self.raw()
            if got is None:
                raise _fail("a /* comment is never closed", self.name, number)
            if "*/" in got[1]:
                return

    def tokenize(self, number: int, text: str) -> list[_Token]:
        tokens: list[_Token] = []
        i, size = 0, len(text)
        while i < size:
            char = text[i]
            if char.isspace():
                i += 1
                continue
            if text.startswith('"""', i):
                value, number_after, text, i = self.text_block(number, text, i)
                tokens.append(_Token(value, True, number, i))
                number = number_after
                size = len(text)
                continue
            if char == '"':
                start = i
                i += 1
                out: list[str] = []
                while i < size and text[i] != '"':
                    if text[i] == "\\" and i + 1 < size and text[i + 1] in '"\\':
                        i += 1
                    out.append(text[i])
                    i += 1
                if i >= size:
                    raise _fail(
                        f"a quoted text is not closed: {text[start : start + 40]!r}",
                        self.name,
                        number,
                        start + 1,
                    )
                i += 1
                tokens.append(_Token("".join(out), True, number, start + 1))
                continue
            start = i
            while i < size and not text[i].isspace():
                i += 1
            tokens.append(_Token(text[start:i], False, number, start + 1))
        return tokens

    def text_block(self, number: int, text: str, start: int) -> tuple[str, int, str, int]:
        """A \"\"\" text block from ``start``; returns its text, the line it ends on,
        that line, and the position after it."""
        rest = text[start + 3 :]
        if '"""' in rest:
            end = rest.index('"""')
            return rest[:end], number, text, start + 3 + end + 3
        parts = [rest]
        line = number
        while True:
            got = self.raw()
            if got is None:
                raise _fail('a """ text block is never closed', self.name, number, start + 1)
            line, following = got
            if '"""' in following:
                end = following.index('"""')
                parts.append(following[:end])
                value = textwrap.dedent("\n".join(parts)).strip()
                return value, line, following, end + 3
            parts.append(following)


@dataclass
class _Archetype:
    base: str  # a Kind, "group", or "relationship"
    description: str | None = None
    technology: str | None = None
    tags: list[str] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)


@dataclass
class _Scope:
    """Where a statement is: the element whose block it is in (if any), the group,
    and whether ``this`` / an implicit source refer to that element."""

    element: Element | None = None
    group: str | None = None
    own_block: bool = False


@dataclass
class _Pending:
    source: str | Element
    target: str | Element
    scope: list[Element]
    file: str
    line: int
    column: int
    description: str | None
    technology: str | None
    tags: list[str]
    target_column: int


class _Parser:
    def __init__(self) -> None:
        self.workspace = Workspace()
        self.files: list[_File] = []
        self.including: list[str] = []
        self.constants: dict[str, str] = {}
        self.hierarchical = False
        self.ids: dict[str, Element] = {}
        self.id_of: dict[int, str] = {}
        self.by_key: dict[str, Element] = {}
        self.archetypes: dict[str, _Archetype] = {}
        self.pending: list[_Pending] = []
        self.anonymous = 0

    # -- reading statements ----------------------------------------------------------

    def push(self, source: Source) -> None:
        real = os.path.realpath(source.name) if source.name != "<stdin>" else source.name
        if real in self.including:
            chain = " -> ".join([*self.including, real])
            raise _fail(f"the file includes itself ({chain})", source.name, None)
        if len(self.files) >= _MAX_INCLUDE_DEPTH:
            raise _fail("includes nested more than 32 deep", source.name, None)
        self.files.append(_File(source))
        self.including.append(real)
        if source.name not in self.workspace.files:
            self.workspace.files.append(source.name)

    def next(self) -> _Statement | None:
        while self.files:
            statement = self.files[-1].statement()
            if statement is not None:
                for token in statement.tokens:
                    if "${" in token.text:
                        token.text = _CONSTANT.sub(
                            lambda m: self.constants.get(m.group(1), m.group(0)), token.text
                        )
                return statement
            self.files.pop()
            self.including.pop()
        return None

    def statements(self, opened: _Statement) -> _Iterator:
        return _Iterator(self, opened)

    def skip_block(self, opened: _Statement, *, script: bool = False) -> None:
        """Skip the lines of a block without reading them as statements (views,
        styles, scripts). A script ends at its first line ``}``."""
        depth = 1
        while self.files:
            current = self.files[-1]
            got = current.raw()
            if got is None:
                self.files.pop()
                self.including.pop()
                continue
            stripped = got[1].strip()
            if stripped == "}":
                depth -= 1
                if depth == 0 or script:
                    return
            elif not script and stripped.endswith("{") and not stripped.startswith(("#", "//")):
                depth += 1
        raise _fail("this block is never closed", opened.file, opened.line)

    # -- the workspace -------------------------------------------------------------

    def parse(self, source: Source) -> Workspace:
        self.push(source)
        first = self.next()
        if first is None or first.word() != "workspace":
            where = first.tokens[0] if first else None
            found = f"; it starts with {first.tokens[0].text[:40]!r}" if first else "; it is empty"
            raise _fail(
                "not a Structurizr DSL workspace: expected 'workspace [name] "
                f"[description] {{' or 'workspace extends FILE {{'{found}",
                source.name,
                where.line if where else 1,
                where.column if where else None,
            )
        self.workspace_statement(first)
        trailing = self.next()
        if trailing is not None:
            raise _fail(
                f"unexpected {trailing.tokens[0].text[:40]!r} after the workspace's closing }}",
                trailing.file,
                trailing.line,
                trailing.tokens[0].column,
            )
        self.resolve()
        return self.workspace

    def workspace_statement(self, st: _Statement) -> None:
        if not st.opens:
            raise _fail("expected '{' after workspace", st.file, st.line, st.tokens[-1].column)
        args = st.tokens[1:]
        if args and not args[0].quoted and args[0].text.lower() == "extends":
            if len(args) < 2:
                raise _fail("workspace extends needs a file", st.file, st.line, args[0].column)
            self.extend(st, args[1])
        elif args:
            self.workspace.name = args[0].text or self.workspace.name
        for inner in self.statements(st):
            word = inner.word()
            if word == "model" and inner.opens:
                self.model_block(inner, _Scope())
            elif word in ("views", "configuration") and inner.opens:
                self.skip_block(inner)
            elif word == "name" and len(inner.tokens) > 1:
                self.workspace.name = inner.tokens[1].text
            elif word in ("description", "!docs", "!adrs", "!impliedrelationships"):
                self.maybe_skip(inner)
            elif word == "properties" and inner.opens:
                self.properties_block(inner, {})
            elif not self.directive(inner, _Scope()):
                self.unknown(inner, "workspace")

    def extend(self, st: _Statement, target: _Token) -> None:
        if _URL.match(target.text):
            self.report(
                f"workspace extends {target.text}: a URL is not fetched; only this "
                "file's own model is read",
                st,
                target.column,
            )
            return
        path = self.relative(st.file, target.text)
        base = _Parser()
        base.hierarchical = self.hierarchical
        base.including = list(self.including)
        base.parse(self.read(path, st, target.column))
        # The extending workspace continues the base's model and identifiers.
        self.workspace.elements = base.workspace.elements
        self.workspace.relationships = base.workspace.relationships
        self.workspace.skipped.update(base.workspace.skipped)
        self.workspace.reported.extend(base.workspace.reported)
        self.workspace.name = base.workspace.name
        self.workspace.files[:0] = [
            f for f in base.workspace.files if f not in self.workspace.files
        ]
        self.ids, self.id_of, self.by_key = base.ids, base.id_of, base.by_key
        self.archetypes, self.constants = base.archetypes, base.constants
        self.hierarchical = base.hierarchical

    # -- directives -----------------------------------------------------------------

    def directive(self, st: _Statement, scope: _Scope) -> bool:
        """Statements allowed anywhere; True when ``st`` was one."""
        word = st.word()
        if word == "!identifiers":
            mode = st.word(1)
            if mode not in ("hierarchical", "flat"):
                raise _fail(
                    "!identifiers must be 'flat' or 'hierarchical'",
                    st.file,
                    st.line,
                    st.tokens[-1].column,
                )
            self.hierarchical = mode == "hierarchical"
        elif word in ("!const", "!constant", "!var"):
            if len(st.tokens) < 3:
                raise _fail(
                    f"{word} needs a name and a value", st.file, st.line, st.tokens[0].column
                )
            self.constants[st.tokens[1].text] = st.tokens[2].text
        elif word == "!include":
            self.include(st)
        elif word in ("!script", "!plugin"):
            what = " ".join(t.text for t in st.tokens[1:]) or "(inline)"
            self.report(f"{word} {what}: scripts and plugins are never run; left out", st)
            if st.opens:
                self.skip_block(st, script=word == "!script")
        elif word in ("!docs", "!adrs", "!decisions", "!impliedrelationships", "!definitions"):
            self.maybe_skip(st)
        else:
            return False
        return True

    def include(self, st: _Statement) -> None:
        if len(st.tokens) < 2:
            raise _fail("!include needs a file or folder", st.file, st.line, st.tokens[0].column)
        target = st.tokens[1]
        if _URL.match(target.text):
            self.report(
                f"!include {target.text}: a URL is not fetched; left out", st, target.column
            )
            return
        path = self.relative(st.file, target.text)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            # Pushed last first, so that they are read in order.
            sources = [self.read(p, st, target.column) for p in files]
            for source in reversed(sources):
                self.push(source)
            return
        self.push(self.read(path, st, target.column))

    def relative(self, file: str, name: str) -> FsPath:
        base = FsPath(file).parent if file != "<stdin>" else FsPath.cwd()
        return base / name

    def read(self, path: FsPath, st: _Statement, column: int) -> Source:
        if not path.exists():
            raise _fail(f"{path}: no such file or folder", st.file, st.line, column)
        return read_source(path, what="Structurizr DSL file")

    def maybe_skip(self, st: _Statement) -> None:
        if st.opens:
            self.skip_block(st)

    def report(self, message: str, st: _Statement, column: int | None = None) -> None:
        self.workspace.reported.append(
            Problem(message, file=st.file, line=st.line, column=column or st.tokens[0].column)
        )

    def unknown(self, st: _Statement, where: str) -> None:
        self.report(
            f"{st.tokens[0].text[:40]!r} is not understood in a {where} block; it is left out",
            st,
        )
        self.maybe_skip(st)

    # -- the model --------------------------------------------------------------------

    def model_block(self, opened: _Statement, scope: _Scope) -> None:
        for st in self.statements(opened):
            self.model_statement(st, scope, "model")

    def model_statement(self, st: _Statement, scope: _Scope, where: str) -> None:
        tokens = st.tokens
        ident: _Token | None = None
        rest = tokens
        if len(tokens) >= 3 and not tokens[1].quoted and tokens[1].text == "=":
            ident, rest = tokens[0], tokens[2:]
        head = rest[0].text.lower() if not rest[0].quoted else ""
        if self.is_arrow(rest, 1) or self.is_arrow(rest, 0):
            self.relationship(st, rest, scope)
            return
        if ident is None and self.directive(st, scope):
            return
        if head in ("!ref", "!element", "!extend"):
            self.reopen(st, rest, scope)
            return
        if head == "archetypes" and st.opens:
            self.archetypes_block(st)
            return
        if head in _DEPLOYMENT or head == "deploymentenvironment":
            self.deployment(st, head)
            return
        if head in ("group", "enterprise") or self.archetype_base(head) == "group":
            self.group(st, rest, scope, ident)
            return
        base = _BASE_KINDS.get(head) or self.archetype_base(head)
        if base and base != "relationship":
            self.element(st, ident, rest, scope, head, str(base))
            return
        if scope.own_block and scope.element is not None and self.element_detail(st, scope):
            return
        if head in ("!relationship", "!relationships", "!elements"):
            self.maybe_skip(st)
            self.workspace.skipped[head.lstrip("!")] += 1
            return
        self.unknown(st, where)

    def is_arrow(self, tokens: list[_Token], index: int) -> bool:
        return (
            len(tokens) > index
            and not tokens[index].quoted
            and bool(_ARROW.match(tokens[index].text))
            and len(tokens) > index + 1
        )

    def archetype_base(self, name: str) -> str | None:
        archetype = self.archetypes.get(name)
        return archetype.base if archetype else None

    def element(
        self,
        st: _Statement,
        ident: _Token | None,
        rest: list[_Token],
        scope: _Scope,
        head: str,
        kind: str,
    ) -> None:
        if len(rest) < 2:
            raise _fail(
                f"{rest[0].text} needs a name: {rest[0].text} <name> "
                + " ".join(f"[{a}]" for a in _ARGUMENTS[kind]),
                st.file,
                st.line,
                rest[0].column,
            )
        wanted = _PARENT[kind]
        parent = scope.element
        if (parent.kind if parent else None) != wanted:
            inside = {"SoftwareSystem": "a software system", "Container": "a container"}
            must = f"inside {inside[wanted]}" if wanted else "at the model's top level"
            raise _fail(
                f"{rest[0].text} {rest[1].text!r} must be defined {must}",
                st.file,
                st.line,
                rest[0].column,
            )
        element = Element(
            kind=kind,  # type: ignore[arg-type]
            name=rest[1].text,
            file=st.file,
            line=st.line,
            parent=parent,
            group=scope.group,
        )
        if not element.name.strip():
            raise _fail("an element's name cannot be empty", st.file, st.line, rest[1].column)
        archetype = self.archetypes.get(head)
        if archetype is not None:
            element.description = archetype.description
            element.technology = archetype.technology
            element.tags = list(archetype.tags)
            element.properties = dict(archetype.properties)
        names = _ARGUMENTS[kind]
        for name, token in zip(names, rest[2:], strict=False):
            if name == "tags":
                element.tags += [t for t in split_tags(token.text) if t not in element.tags]
            elif name == "description":
                element.description = token.text or element.description
            else:
                element.technology = token.text or element.technology
        extra = rest[2 + len(names) :]
        if extra:
            raise _fail(
                f"too many values for {rest[0].text} {element.name!r}: expected "
                f"{rest[0].text} <name> " + " ".join(f"[{a}]" for a in names),
                st.file,
                st.line,
                extra[0].column,
            )
        key = element.key.lower()
        if key in self.by_key:
            first = self.by_key[key]
            raise _fail(
                f"{rest[0].text} {element.name!r} is defined twice (first at "
                f"{first.file}:{first.line})",
                st.file,
                st.line,
                rest[1].column,
            )
        self.by_key[key] = element
        self.workspace.elements.append(element)
        if parent is not None:
            parent.children.append(element)
        self.register(ident, element, st)
        if st.opens:
            self.element_block(st, _Scope(element, scope.group, own_block=True))

    def register(self, ident: _Token | None, element: Element, st: _Statement) -> None:
        if ident is None:
            self.anonymous += 1
            name = f"\x00{self.anonymous}"
        else:
            name = ident.text.lower()
            if not _IDENTIFIER.match(name):
                raise _fail(
                    f"{ident.text!r} is not an identifier: use letters, digits, _ and -",
                    st.file,
                    st.line,
                    ident.column,
                )
        if self.hierarchical and element.parent is not None:
            name = f"{self.id_of.get(id(element.parent), '')}.{name}"
        if ident is not None:
            if name in self.ids and self.ids[name] is not element:
                raise _fail(
                    f"the identifier {ident.text!r} is already in use",
                    st.file,
                    st.line,
                    ident.column,
                )
            self.ids[name] = element
        self.id_of[id(element)] = name

    def element_block(self, opened: _Statement, scope: _Scope) -> None:
        for st in self.statements(opened):
            self.model_statement(st, scope, f"{scope.element.name if scope.element else ''}")

    def element_detail(self, st: _Statement, scope: _Scope) -> bool:
        element = scope.element
        assert element is not None
        word = st.word()
        values = [t.text for t in st.tokens[1:]]
        if word in ("tags", "tag"):
            element.tags += [t for t in split_tags(values) if t not in element.tags]
        elif word == "description" and values:
            element.description = values[0]
        elif word == "technology" and values:
            element.technology = values[0]
        elif word == "properties" and st.opens:
            self.properties_block(st, element.properties)
        elif word in ("url", "perspectives", "metadata", "instances", "!docs", "!adrs"):
            self.maybe_skip(st)
        else:
            return False
        return True

    def properties_block(self, opened: _Statement, into: dict[str, str]) -> None:
        for st in self.statements(opened):
            if len(st.tokens) >= 2:
                into[st.tokens[0].text] = st.tokens[1].text
            self.maybe_skip(st)

    def group(
        self, st: _Statement, rest: list[_Token], scope: _Scope, ident: _Token | None
    ) -> None:
        if len(rest) < 2:
            raise _fail("a group needs a name", st.file, st.line, rest[0].column)
        self.workspace.skipped["group"] += 1
        name = rest[1].text
        if scope.group:
            name = f"{scope.group}/{name}"
        if st.opens:
            inner = _Scope(scope.element, name, own_block=False)
            for inside in self.statements(st):
                self.model_statement(inside, inner, "group")

    def reopen(self, st: _Statement, rest: list[_Token], scope: _Scope) -> None:
        if len(rest) < 2:
            raise _fail(f"{rest[0].text} needs an identifier", st.file, st.line, rest[0].column)
        target = rest[1].text
        element = self.by_key.get(target.lower()) if "://" in target else None
        if element is None:
            element = self.lookup(target, self.enclosing(scope))
        if element is None:
            self.report(
                f"{rest[0].text} {target}: no element has that identifier; its block is left out",
                st,
                rest[1].column,
            )
            self.maybe_skip(st)
            return
        if st.opens:
            self.element_block(st, _Scope(element, element.group, own_block=True))

    def archetypes_block(self, opened: _Statement) -> None:
        for st in self.statements(opened):
            tokens = st.tokens
            if len(tokens) < 3 or tokens[1].text != "=" or tokens[1].quoted:
                raise _fail(
                    "an archetype is written: name = kind [{ ... }]",
                    st.file,
                    st.line,
                    tokens[0].column,
                )
            name, kind = tokens[0].text.lower(), tokens[2].text
            if _ARROW.match(kind):
                archetype = _Archetype("relationship")
            else:
                base = _BASE_KINDS.get(kind.lower())
                parent = self.archetypes.get(kind.lower())
                if base is None and parent is None:
                    raise _fail(
                        f"archetype {tokens[0].text!r}: {kind!r} is not an element kind or "
                        "an archetype",
                        st.file,
                        st.line,
                        tokens[2].column,
                    )
                if parent is not None:
                    archetype = _Archetype(
                        parent.base,
                        parent.description,
                        parent.technology,
                        list(parent.tags),
                        dict(parent.properties),
                    )
                else:
                    archetype = _Archetype(str(base))
            if st.opens:
                for inner in self.statements(st):
                    word = inner.word()
                    values = [t.text for t in inner.tokens[1:]]
                    if word in ("tag", "tags"):
                        archetype.tags += [t for t in split_tags(values) if t not in archetype.tags]
                    elif word == "description" and values:
                        archetype.description = values[0]
                    elif word == "technology" and values:
                        archetype.technology = values[0]
                    elif word == "properties" and inner.opens:
                        self.properties_block(inner, archetype.properties)
                    else:
                        self.maybe_skip(inner)
            self.archetypes[name] = archetype

    def deployment(self, st: _Statement, head: str) -> None:
        """Deployment environments and nodes are counted, not imported."""
        if head != "deploymentenvironment":
            self.workspace.skipped[_DEPLOYMENT[head]] += 1
        else:
            self.workspace.skipped["deployment environment"] += 1
        if not st.opens:
            return
        for inner in self.statements(st):
            tokens = inner.tokens
            rest = tokens[2:] if len(tokens) >= 3 and tokens[1].text == "=" else tokens
            word = rest[0].text.lower() if not rest[0].quoted else ""
            if word in _DEPLOYMENT:
                self.deployment(inner, word)
            elif self.is_arrow(rest, 0) or self.is_arrow(rest, 1):
                self.workspace.skipped["deployment relationship"] += 1
                self.maybe_skip(inner)
            else:
                self.maybe_skip(inner)

    # -- relationships ------------------------------------------------------------------

    def enclosing(self, scope: _Scope) -> list[Element]:
        return scope.element.ancestors() if scope.element is not None else []

    def relationship(self, st: _Statement, rest: list[_Token], scope: _Scope) -> None:
        if self.is_arrow(rest, 0):
            if scope.element is None or not scope.own_block:
                raise _fail(
                    "a relationship without a source (-> x) must be inside an element's block",
                    st.file,
                    st.line,
                    rest[0].column,
                )
            source: str | Element = scope.element
            arrow, target_token, args = rest[0], rest[1], rest[2:]
            source_column = rest[0].column
        else:
            source = self.this_or_name(rest[0], scope, st)
            arrow, target_token, args = rest[1], rest[2], rest[3:]
            source_column = rest[0].column
        target = self.this_or_name(target_token, scope, st)
        description = args[0].text if len(args) > 0 else None
        technology = args[1].text if len(args) > 1 else None
        tags = split_tags([a.text for a in args[2:]])
        matched = _ARROW.match(arrow.text)
        name = matched.group(1) if matched else None
        if name:
            archetype = self.archetypes.get(name.lower())
            if archetype is None or archetype.base != "relationship":
                raise _fail(
                    f"{arrow.text}: {name!r} is not a relationship archetype",
                    st.file,
                    st.line,
                    arrow.column,
                )
            description = description or archetype.description
            technology = technology or archetype.technology
            tags = [*archetype.tags, *tags]
        if st.opens:
            for inner in self.statements(st):
                word = inner.word()
                values = [t.text for t in inner.tokens[1:]]
                if word in ("tag", "tags"):
                    tags += split_tags(values)
                elif word == "description" and values:
                    description = values[0]
                elif word == "technology" and values:
                    technology = values[0]
                self.maybe_skip(inner)
        self.pending.append(
            _Pending(
                source=source,
                target=target,
                scope=self.enclosing(scope),
                file=st.file,
                line=st.line,
                column=source_column,
                description=description or None,
                technology=technology or None,
                tags=tags,
                target_column=target_token.column,
            )
        )

    def this_or_name(self, token: _Token, scope: _Scope, st: _Statement) -> str | Element:
        if not token.quoted and token.text.lower() == "this":
            if scope.element is None or not scope.own_block:
                raise _fail(
                    "'this' is only allowed inside an element's block",
                    st.file,
                    st.line,
                    token.column,
                )
            return scope.element
        return token.text

    def lookup(self, name: str, scope: list[Element]) -> Element | None:
        """The element an identifier names: with hierarchical identifiers, relative to
        each enclosing element first, then from the top."""
        lowered = name.lower()
        for element in scope:
            prefix = self.id_of.get(id(element))
            if prefix and (found := self.ids.get(f"{prefix}.{lowered}")) is not None:
                return found
        return self.ids.get(lowered) or self.by_key.get(lowered)

    def resolve(self) -> None:
        for item in self.pending:
            ends: list[Element] = []
            shown = [e if isinstance(e, str) else e.name for e in (item.source, item.target)]
            for end, column in ((item.source, item.column), (item.target, item.target_column)):
                if isinstance(end, Element):
                    ends.append(end)
                    continue
                found = self.lookup(end, item.scope)
                if found is None:
                    self.workspace.reported.append(
                        Problem(
                            f"relationship {shown[0]} -> {shown[1]}: "
                            f"no element has the identifier {end!r}; the relationship is not in "
                            "the model",
                            file=item.file,
                            line=item.line,
                            column=column,
                        )
                    )
                    break
                ends.append(found)
            if len(ends) != 2:
                continue
            self.workspace.relationships.append(
                Relationship(
                    source=ends[0],
                    target=ends[1],
                    file=item.file,
                    line=item.line,
                    description=item.description,
                    technology=item.technology,
                    tags=item.tags,
                )
            )


class _Iterator:
    """The statements of one block, up to its closing ``}``."""

    def __init__(self, parser: _Parser, opened: _Statement) -> None:
        self.parser = parser
        self.opened = opened

    def __iter__(self) -> _Iterator:
        return self

    def __next__(self) -> _Statement:
        st = self.parser.next()
        if st is None:
            raise _fail(
                f"the block opened here ({self.opened.tokens[0].text[:40]} ... {{) is never closed",
                self.opened.file,
                self.opened.line,
                self.opened.tokens[0].column,
            )
        if st.closes:
            raise StopIteration
        return st


def read_workspace_dsl(source: Source) -> Workspace:
    """The model of a Structurizr DSL workspace already read as text; the files it
    includes or extends are read relative to it.

    Raises:
        InputError: it is not a DSL workspace, or a statement is malformed (an
            unclosed quote or block, an element in the wrong place, an identifier
            used twice), with file, line and column.
        ReadError: an included or extended file cannot be read.
    """
    return _Parser().parse(source)
