"""An example's caption on a line of its own introduces the block below it: the block is found, and quoted, by the
caption's words (handbook's "Example 6.5. Non-interactive upgrade script" over its script). The splitter alone, then
%%ask in a real IPython shell over a real store."""

from __future__ import annotations

from pathlib import Path

from conftest import ask

from jupyter_docchat.qa.answer_levers import SHIPPED
from jupyter_docchat.qa.answer_units import split_units

TEXT = ("By combining the previous elements, it is possible to design a small but reliable script.\n\n"
        "Example 6.5. Non-interactive upgrade script\n\n"
        "export DEBIAN_FRONTEND=noninteractive\nyes '' | apt-get -y dist-upgrade\n\n"
        "None of these methods is fully reliable, but they generally work.\n")


def test_a_caption_line_introduces_the_code_below_it() -> None:
    code = [u for u in split_units(TEXT, "Automatic upgrades", caption_intro=True) if u.kind == "code"]
    assert len(code) == 1 and code[0].intro == "Example 6.5. Non-interactive upgrade script"
    assert code[0].text.startswith("export DEBIAN_FRONTEND=noninteractive")
    # off, and for a line that is no caption, the block has no introduction
    assert not any(u.intro for u in split_units(TEXT, "Automatic upgrades"))
    other = TEXT.replace("Example 6.5. Non-interactive upgrade script", "The script is short")
    assert not any(u.intro for u in split_units(other, "Automatic upgrades", caption_intro=True))


def test_the_answer_quotes_the_captioned_script(ip, tmp_path: Path) -> None:
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "upgrades.md").write_text("# Automatic upgrades\n\n" + TEXT.replace(
        "export DEBIAN_FRONTEND", "    export DEBIAN_FRONTEND").replace("yes ''", "    yes ''"))
    (folder / "cron.md").write_text("# Cron\n\nThe cron daemon runs scheduled commands every day; its tables are "
                                    "edited with crontab, and each user may have one.\n")
    ip.run_line_magic("docchat_index", f'"{folder}" --quiet')
    assert SHIPPED.caption_intro
    ask(ip, "Where is the non-interactive upgrade script?", "--no-stream")
    answer = ip.user_ns["docchat_history"][-1]["answer"]
    assert "DEBIAN_FRONTEND=noninteractive" in answer.split("\n\n*Extractive answer")[0]
