"""Read one YAML file, bounded and strict: one clear `ScenarioError` per problem.

    parse(read_text(path), str(path)) -> the file's data (dates kept as text)

Input is bounded before it costs anything: files over `MAX_FILE_BYTES` are refused unread, YAML
deeper than `MAX_DEPTH` or with more than `MAX_VALUES` values (aliases expanded) is refused, and
integers longer than `MAX_INT_DIGITS`. A key written twice in one mapping, at any depth, is an
error naming its key path and both lines (PyYAML keeps the last silently); a character YAML does
not allow (a NUL byte) is named with its line and column.
"""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

import yaml

from sim.errors import ScenarioError

MAX_FILE_BYTES = 1_000_000
"""Largest scenario file read (the bundled ones are a few KB)."""
MAX_DEPTH = 32
"""Deepest YAML nesting (a scenario needs about 5 levels)."""
MAX_VALUES = 100_000
"""Most values in one file, YAML aliases expanded (the bundled ones hold a few hundred)."""
MAX_INT_DIGITS = 30
"""Longest integer literal read (longer ones are refused before Python converts them)."""


class _DuplicateKey(yaml.YAMLError):
    """A key written twice in one mapping (the message names the key path and both lines)."""


class DuplicateKeyError(ScenarioError):
    """A key written twice in one mapping: an error even where other YAML errors are not
    (a `--set` value that is not YAML is taken as text)."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as strings, so pydantic validates them (and names the key),
    and refuses nesting deeper than `MAX_DEPTH`, integers longer than `MAX_INT_DIGITS` and a
    key written twice in one mapping (PyYAML would keep the last silently)."""

    _depth = 0

    def construct_document(self, node: Any) -> Any:
        self._check_duplicates(node, (), set())
        return super().construct_document(node)

    def _check_duplicates(self, node: Any, path: tuple[str, ...], seen: set[int]) -> None:
        """Raise `_DuplicateKey` for the first key written twice in a mapping of `node`'s tree
        (keys equal once read, e.g. `1` and `01`, count as the same key, as they would be one
        key of the mapping). Keys brought in by a merge (`<<: *base`) may be overridden, as YAML
        intends. Each node is checked once (aliases share nodes)."""
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._check_duplicates(item, (*path, str(i)), seen)
        elif isinstance(node, yaml.MappingNode):
            first: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                label = key_text(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                if (isinstance(key_node, yaml.ScalarNode)
                        and key_node.tag != "tag:yaml.org,2002:merge"):
                    key = self.construct_object(key_node)
                    try:
                        earlier = first.setdefault(key, key_node)
                    except TypeError:  # an unhashable key: the constructor refuses it
                        earlier = key_node
                    if earlier is not key_node:
                        where = ".".join((*path, label))
                        raise _DuplicateKey(f"line {key_node.start_mark.line + 1}: key "
                                            f"{where!r} appears twice (first at line "
                                            f"{earlier.start_mark.line + 1})")
                self._check_duplicates(value_node, (*path, label), seen)

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self._depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep",
                self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_yaml_int(self, node: Any) -> Any:
        digits = str(node.value).lstrip("+-")
        if len(digits.replace("_", "")) > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"integer of {len(digits)} digits is too long (at most "
                            f"{MAX_INT_DIGITS}; write a float such as 1.0e+30)", node.start_mark)
        return super().construct_yaml_int(node)


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def _count_values(data: Any, seen: dict[int, int | None]) -> int:
    """Values in `data` with every YAML alias expanded (shared nodes counted once per use, in
    time linear in the distinct nodes); ValueError if a node contains itself."""
    if not isinstance(data, (dict, list)):
        return 1
    key = id(data)
    if key in seen:
        done = seen[key]
        if done is None:
            raise ValueError("an alias (*name) refers to a value that contains it")
        return done
    seen[key] = None
    items = [v for kv in data.items() for v in kv] if isinstance(data, dict) else data
    seen[key] = total = 1 + sum(_count_values(v, seen) for v in items)
    return total


def read_text(path: Path) -> str:
    """The file's text, refused unread past `MAX_FILE_BYTES` (even a device or a pipe)."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ScenarioError(f"{path}: a symbolic link loop") from None
        raise ScenarioError(f"{path}: cannot read file ({exc.strerror or exc})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{path}: file is over {MAX_FILE_BYTES:,} bytes, the limit for a "
                            f"scenario file (they take a few KB); is it the right file?")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as "
                            f"UTF-8") from None


def parse(text: str, where: str) -> Any:
    """YAML `text` parsed with `_Loader`, bounded; `where` names it in errors."""
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass
    except _DuplicateKey as exc:
        raise DuplicateKeyError(f"{where}: {exc}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow: say where
        pos = exc.position  # an index into `text` (PyYAML gives no line)
        line, column = text.count("\n", 0, pos) + 1, pos - text.rfind("\n", 0, pos)
        if exc.character == 0:
            raise ScenarioError(f"{where}: contains a NUL byte at line {line}, column {column} "
                                f"(is it a binary or damaged file?)") from None
        raise ScenarioError(f"{where}: YAML error at line {line}, column {column}: character "
                            f"U+{exc.character:04X} is not allowed in YAML (a control "
                            f"character)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = " ".join((getattr(exc, "problem", None) or str(exc)).split())
        kind = "syntax " if isinstance(exc, (yaml.scanner.ScannerError,
                                            yaml.parser.ParserError)) else ""
        raise ScenarioError(f"{where}: YAML {kind}error{at}: {problem}") from None
    except RecursionError:
        raise ScenarioError(f"{where}: YAML nested too deeply (or an alias refers to the "
                            f"mapping that contains it)") from None
    except (ValueError, OverflowError) as exc:  # a tagged value that cannot be made, e.g.
        # `!!timestamp 2024-13-45`
        raise ScenarioError(f"{where}: YAML value not understood ({exc})") from None
    try:
        n = _count_values(data, {})
    except ValueError as exc:
        raise ScenarioError(f"{where}: {exc}; write the value out instead") from None
    if n > MAX_VALUES:
        raise ScenarioError(f"{where}: {n:,} values (YAML aliases *name expanded), over the "
                            f"limit of {MAX_VALUES:,} for a scenario file")
    return data


def short(value: Any, limit: int = 60) -> str:
    """`repr(value)`, cut to `limit` characters (a hostile file's values can be huge)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "…" + text[-4:]


def key_text(part: Any) -> str:
    """One part of a key path, cut to 40 characters."""
    text = part if isinstance(part, str) else short(part, 40)
    return text if len(text) <= 40 else text[:35] + "…" + text[-4:]
