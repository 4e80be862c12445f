"""`#+` headers are YAML, read by PyYAML's safe loader the way grlc reads them, and cached by their text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kgtool.errors import InputError
from kgtool.query.yaml_header import Node, parse_header


def plain(node: Node) -> object:
    """A parsed header without its line numbers."""
    if isinstance(node.value, dict):
        return {k: plain(v) for k, v in node.value.items()}
    if isinstance(node.value, list):
        return [plain(v) for v in node.value]
    return node.value


def test_yaml_constructs_grlc_headers_use(cache_dir):
    text = (
        "#+ summary: a plain scalar that\n"
        "#+   goes on\n"
        "#+ description: |\n"
        "#+   line one\n"
        "#+   line two\n"
        "#+ folded: >\n"
        "#+   one\n"
        "#+   two\n"
        "#+ defaults: &d {a: 1, b: 'x: y'}\n"
        "#+ merged:\n"
        "#+   <<: *d\n"
        "#+   b: z\n"
        '#+ tags: [a, "b # c"]  # a comment\n'
        "#+ empty:\n"
        "SELECT * WHERE { ?s ?p ?o }\n"
    )
    assert plain(parse_header(text)) == {
        "summary": "a plain scalar that goes on",
        "description": "line one\nline two\n",
        "folded": "one two\n",
        "defaults": {"a": "1", "b": "x: y"},
        "merged": {"a": "1", "b": "z"},
        "tags": ["a", "b # c"],
        "empty": None,
    }


def test_scalars_keep_the_text_the_file_writes(cache_dir):
    header = parse_header("#+ required: yes\n#+ example: 2020-01-05\n#+ n: 0x10\n#+ off: 'no'\n")
    assert plain(header) == {"required": "yes", "example": "2020-01-05", "n": "0x10", "off": "no"}


def test_every_value_knows_its_file_line(cache_dir):
    text = "# a comment\n#+ summary: s\n\n#+ params:\n#+   n:\n#+     type: integer\nSELECT ?_n {}\n"
    header = parse_header(text)
    assert isinstance(header.value, dict)
    params = header.value["params"]
    assert (header.value["summary"].line, params.line) == (2, 4)
    assert isinstance(params.value, dict)
    n = params.value["n"]
    assert n.line == 5
    assert isinstance(n.value, dict) and n.value["type"].line == 6


def test_grlc_strips_every_leading_hash_and_plus(cache_dir):
    assert plain(parse_header("#+summary: tight\n#++tags: [x]\n")) == {"summary": "tight", "tags": ["x"]}
    assert plain(parse_header("SELECT * { ?s ?p ?o }\n")) == {}


def test_errors_name_file_line_and_column(cache_dir):
    with pytest.raises(InputError) as info:
        parse_header("#+ summary: ok\n#+ tags: [a, b\nSELECT * {}\n", "q.rq")
    assert str(info.value).startswith("q.rq:2:")
    assert "invalid YAML" in info.value.message


def test_a_cached_header_is_read_without_pyyaml(cache_dir, tmp_path: Path):
    query = tmp_path / "q.rq"
    query.write_text("#+ summary: |\n#+   cached\n#+ tags: [x]\nSELECT * { ?s ?p ?o }\n", encoding="utf-8")
    program = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from kgtool.query import catalog\n"
        "q = catalog.read(Path(sys.argv[1]))\n"
        "print(json.dumps([q.title, list(q.tags), 'yaml' in sys.modules]))\n"
    )
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", program, str(query)], check=True, capture_output=True, text=True
            ).stdout
        )
        for _ in range(2)
    ]
    assert runs == [["cached", ["x"], True], ["cached", ["x"], False]]
    entries = list((cache_dir / "query-headers").glob("*.json"))
    assert len(entries) == 1
    # An entry whose text differs (a hash collision, or a hand edit) is never trusted.
    entry = json.loads(entries[0].read_text(encoding="utf-8"))
    entry["tree"][1][1][1][1] = "tampered"
    entry["yaml"] = "something else"
    entries[0].write_text(json.dumps(entry), encoding="utf-8")
    again = subprocess.run(
        [sys.executable, "-c", program, str(query)], check=True, capture_output=True, text=True
    )
    assert json.loads(again.stdout) == ["cached", ["x"], True]
