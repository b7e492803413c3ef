"""A third-party library copied into a folder whole, not minified (jquery.js, lunr.js, bootstrap.bundle.js), is
left out by the banner its authors put at its top; a project's own scripts are read."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_tree

from jupyter_docchat import DocIndex, IndexOptions
from jupyter_docchat.indexing.skips import bundled_library

CODE = "".join(f"function step{n}(value) {{\n  return value * {n} + offset({n});\n}}\n\n" for n in range(200))
JQUERY = ("/*!\n * jQuery JavaScript Library v3.6.0\n * https://jquery.com/\n *\n * Includes Sizzle.js\n"
          " * https://sizzlejs.com/\n *\n * Copyright OpenJS Foundation and other contributors\n"
          " * Released under the MIT license\n * https://jquery.org/license\n */\n")
LUNR = ("/**\n * lunr - http://lunrjs.com - A bit of Lucene for the browser - 2.3.9\n *\n * Copyright (C) 2020 Oliver "
        "Nightingale\n * @license MIT\n */\n")
UNDERSCORE = "//     Underscore.js 1.13.6\n//     https://underscorejs.org\n//     (c) 2009-2022 Jeremy Ashkenas\n//     Underscore may be freely distributed under the MIT license.\n"
APACHE = ("/**\n * Copyright (c) Gauges Inc.\n *\n * Licensed under the Apache License, Version 2.0 (the \"License\");\n"
          " * you may not use this file except in compliance with the License.\n"
          " * http://www.apache.org/licenses/LICENSE-2.0\n */\n")


def test_a_bundled_library_is_skipped_and_named_and_the_projects_own_scripts_read(tmp_path: Path) -> None:
    folder = write_tree(tmp_path / "app", {
        "static/jquery.js": JQUERY + CODE, "static/vendor/lunr.js": LUNR + CODE, "underscore.js": UNDERSCORE + CODE,
        # the project's own: an Apache header on every file (the license's version is no release), a copyright alone
        "src/gauges.js": APACHE + CODE, "src/dial.mjs": "// Copyright 2024 Gauges Inc. v2.1.0 of the dial\n" + CODE,
        "README.md": "# Gauges\n\nGauges draws dials from a range of values.\n",
    })
    index = DocIndex(tmp_path / "store", collection="app")
    report = index.update(folder)
    skipped = dict(report.skipped_files)
    assert {name: skipped.get(name) for name in ("static/jquery.js", "static/vendor/lunr.js", "underscore.js")} == \
        dict.fromkeys(("static/jquery.js", "static/vendor/lunr.js", "underscore.js"), "bundled third-party library")
    assert set(index.catalog.files("app")) == {"README.md", "src/dial.mjs", "src/gauges.js"}
    assert "bundled third-party library" in report.summary()
    # --include brings one back, as every default skip; the next update without it leaves it out again.
    index.update(folder, IndexOptions(includes=["static/jquery.js"]))
    assert "static/jquery.js" in set(index.catalog.files("app"))
    index.update(folder, IndexOptions())
    assert "static/jquery.js" not in set(index.catalog.files("app"))
    index.close()


_WORDS = st.lists(st.sampled_from(["Copyright", "(c)", "2024", "Gauges", "Inc.", "license", "MIT", "all", "rights",
                                   "reserved", "see", "LICENSE", "Version", "2.0", "the", "dial", "https://x.org/2.1"]),
                  max_size=30).map(" ".join)


@settings(max_examples=100, deadline=None)
@given(_WORDS, st.sampled_from(["/* {} */\n", "/*!\n * {}\n */\n", "// {}\n"]))
def test_a_banner_without_a_release_version_is_never_a_library(words: str, comment: str) -> None:
    assert not bundled_library((comment.format(words) + CODE).encode())


@settings(max_examples=100, deadline=None)
@given(_WORDS, _WORDS, st.sampled_from(["v3.6.0", "v1.2", "2.3.9", "@version 4"]),
       st.sampled_from(["MIT license", "@license BSD-3-Clause", "Licensed under GPLv3", "ISC"]))
def test_a_banner_naming_a_release_and_a_license_is_a_library(before: str, after: str, version: str, license: str) -> None:
    banner = f"/*!\n * {before} Gauges {version}\n * {after}\n * Released under the {license}\n */\n"
    assert bundled_library((banner + CODE).encode())
    assert not bundled_library(("const x = 1;\n" + banner + CODE).encode())  # a banner is at the top, or is none
