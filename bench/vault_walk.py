"""Walk 38: a student's notes vault, as Obsidian and Logseq keep one: wiki links, embeds, callouts, highlights, front
matter with aliases, daily notes, a template folder, a Dataview query, an Excalidraw drawing, a board (.canvas), the
app's own folders (.obsidian/, logseq/ with its backups). No package ships a vault, so its notes are written here, as
a user writes them; the questions were written before the first run.

    python bench/vault_walk.py make [--folder DIR]
    python bench/vault_walk.py ask [--folder DIR]     # a fresh store, each question asked offline (bench/walk_ask.py)
"""

from __future__ import annotations

import base64
import json
import shutil
import sys
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import walk_ask  # noqa: E402

FOLDER = Path.home() / ".cache/docchat-bench/vault/folder"

NOTES = {
    ".obsidian/app.json": '{"attachmentFolderPath": "assets", "newFileLocation": "folder"}',
    ".obsidian/community-plugins.json": '["dataview", "obsidian-excalidraw-plugin", "templater-obsidian"]',
    ".obsidian/templates.json": '{"folder": "Templates"}',
    ".trash/Old spectrometer notes.md": "The old grating was 300 l/mm.\n",
    "Templates/Daily.md": "---\ndate: {{date}}\ntags: [daily]\n---\n# {{date:dddd, MMMM Do}}\n\n## Tasks\n- [ ] \n\n"
                          "## Notes\n\n## Links\n- [[{{yesterday}}]]\n",
    "Templates/Paper.md": "---\ntitle: {{title}}\nauthors:\nyear:\ntags: [paper]\n---\n# {{title}}\n\n> [!abstract]\n> \n\n"
                          "## Key points\n\n## Questions\n",
    "Lab/Spectrometer.md": """---
aliases: [spectro, the spectrometer]
tags: [lab, optics]
---
# Spectrometer

The spectrometer in room B112 is a Czerny-Turner design with a 600 l/mm grating (see [[Gratings#Ordering|ordering]]).
Calibration follows [[Calibration#Neon lines|the neon procedure]]; the dark frame comes first.

> [!warning] Laser class
> The alignment laser is class 3R. Never look into the beam and wear the OD4 goggles from the top drawer.

> [!tip]- Saturation
> Keep the ==integration time under 500 ms==, otherwise the CCD saturates near the 585 nm line.

%% ask Tom whether the slit is still bent %%

![[spectrometer-layout.png]]
![[Calibration#Neon lines]]

## Settings

| Setting | Value |
|---|---|
| slit width | 25 µm |
| grating | 600 l/mm |
| detector temperature | -60 °C |
""",
    "Lab/Calibration.md": """# Calibration

## Neon lines

Use the neon lines at 585.25 nm, 640.22 nm and 703.24 nm and fit a second-order polynomial from pixel to wavelength.
The residuals must stay below 0.05 nm; otherwise refocus the [[Spectrometer|spectro]] and start again.

- [x] take dark frame
- [ ] take neon frame
- [ ] fit polynomial

## Flat field

A flat field uses the tungsten lamp at 3 A for 20 s.
""",
    "Lab/Gratings.md": """# Gratings

## Ordering

Replacement gratings come from Thorlabs. The current order is part GR25-0608 (600 l/mm, blazed at 750 nm),
ordered on [[2024-03-04]] by Tom.

## Handling

Hold a grating only by its edges and never clean it with a tissue: blow dust off with dry nitrogen.
""",
    "Papers/Smith 2021 - Raman thermometry.md": """---
title: Raman thermometry of silicon
authors: [J. Smith, K. Ito]
year: 2021
tags: [paper, raman]
---
# Raman thermometry of silicon

> [!abstract]
> The ratio of anti-Stokes to Stokes intensity gives the temperature of a silicon sample to within 2 K between
> 300 K and 600 K.

## Key points
- The 520 cm⁻¹ phonon line shifts by about -0.022 cm⁻¹ per kelvin.
- Laser heating above 2 mW biases the reading; they used 0.5 mW at the sample.

## Questions
- Does the method work through a glass cover slip? See [[Meeting notes 2024-03-06]].
""",
    "Meetings/Meeting notes 2024-03-06.md": """# Group meeting, March 6

Attendees:: [[Tom]], [[Aiko]], me

- Aiko: the cover slip adds a background below 200 cm⁻¹, so the Raman thermometry from [[Smith 2021 - Raman thermometry|Smith 2021]] still works above it.
- Tom will book the cryostat for the week of March 18.
- Decision: the group report is due on **March 22**; slides go in the shared drive under `reports/2024-Q1`.

```dataview
TABLE file.mtime AS "Edited" FROM #paper SORT file.mtime DESC
```
""",
    "Daily/2024-03-04.md": """---
date: 2024-03-04
tags: [daily]
---
# Monday, March 4th

## Tasks
- [x] Order the replacement grating #lab
- [ ] Email the workshop about the bent slit

## Notes
- Met with [[Tom]] about the [[Spectrometer|spectro]] grating. Replacement ordered from Thorlabs, part GR25-0608; delivery in three weeks.
- The cryostat's turbo pump makes a whining noise again ==above 800 Hz==. Logged it in [[Cryostat]].
""",
    "Lab/Cryostat.md": """# Cryostat

> [!danger] Cooling down
> Never open the cryostat below 200 K: the window frosts over and the seal cracks.

The turbo pump needs a service every 2,000 hours. The last service was in January 2024.
To cool down: pump to 1e-5 mbar first, then start the compressor; it reaches 10 K in about 90 minutes.
""",
    "People/Tom.md": "---\naliases: [Tom S.]\n---\n# Tom\n\nLab manager. Phone extension 4471. Handles orders and the [[Cryostat]] bookings.\n",
    "People/Aiko.md": "# Aiko\n\nPostdoc working on Raman of 2D materials; expert on cover-slip backgrounds.\n",
}


def _excalidraw() -> str:
    """A drawing as the Excalidraw plugin saves it: the words on it, then the scene as compressed JSON (a line of
    base64 thousands of characters long) between Obsidian comments."""
    scene = {"type": "excalidraw", "elements": [{"type": "text", "text": "laser -> beam splitter -> sample"}] * 80}
    packed = base64.b64encode(zlib.compress(json.dumps(scene).encode() * 4)).decode()
    return ("---\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n---\n==⚠  Switch to EXCALIDRAW VIEW in the MORE OPTIONS "
            "menu of this document. ⚠==\n\n\n# Text Elements\nlaser -> beam splitter -> sample ^a1B2c3D4\n\n"
            "collection lens f = 50 mm ^e5F6g7H8\n\n%%\n# Drawing\n```compressed-json\n" + packed + "\n```\n%%")


BOARD = {
    "nodes": [
        {"id": "g1", "type": "group", "label": "Thesis chapter 3", "x": -50, "y": -50, "width": 800, "height": 500},
        {"id": "c1", "type": "text", "text": "## Goal\nMeasure the temperature of a gated graphene flake by Raman.",
         "x": 0, "y": 0, "width": 300, "height": 120},
        {"id": "c2", "type": "file", "file": "Papers/Smith 2021 - Raman thermometry.md", "x": 400, "y": 0,
         "width": 300, "height": 200},
        {"id": "c3", "type": "text", "text": "Open problem: the substrate heats up above 1 mW.", "x": 0, "y": 250,
         "width": 300, "height": 100},
    ],
    "edges": [{"id": "e1", "fromNode": "c1", "toNode": "c2", "label": "method from"}],
}

# Logseq's graph beside it: outline pages, block properties, its own folder with backups of edited pages.
LOGSEQ = {
    "logseq-graph/logseq/config.edn": "{:meta/version 1 :preferred-format :markdown}",
    "logseq-graph/logseq/bak/pages/Vacuum/2024-02-01T10_00_00.000Z.Desktop.md":
        "- The roughing pump oil was changed on January 12.\n",
    "logseq-graph/pages/Vacuum.md": """- The roughing pump oil was changed on February 1.
  id:: 65bb1a2e-1f0c-4c1e-9d7b-000000000001
- Leak test
  collapsed:: true
	- Spray helium around the flange and watch the leak detector; a reading above 1e-8 mbar l/s means a leak.
""",
    "logseq-graph/journals/2024_03_05.md": "- Checked the [[Vacuum]] leak: none at the KF40 flange.\n"
                                           "- ((65bb1a2e-1f0c-4c1e-9d7b-000000000001))\n",
}

QUESTIONS = [
    ("What class is the alignment laser?", ["3R"], "Lab/Spectrometer.md"),
    ("Which neon lines are used for calibration?", ["585.25", "640.22", "703.24"], "Lab/Calibration.md"),
    ("How large may the calibration residuals be?", ["0.05 nm"], "Lab/Calibration.md"),
    ("What part number is the replacement grating?", ["GR25-0608"], "Lab/Gratings.md or Daily/2024-03-04.md"),
    ("How should I clean a grating?", ["nitrogen"], "Lab/Gratings.md"),
    ("What integration time saturates the CCD?", ["500 ms"], "Lab/Spectrometer.md"),
    ("What is the detector temperature?", ["-60"], "Lab/Spectrometer.md"),
    ("When is the group report due?", ["March 22"], "Meetings/Meeting notes 2024-03-06.md"),
    ("Does Raman thermometry work through a cover slip?", ["above"], "Meetings/Meeting notes 2024-03-06.md"),
    ("How much does the silicon phonon line shift per kelvin?", ["0.022"], "Papers/Smith 2021 - Raman thermometry.md"),
    ("What laser power did Smith use at the sample?", ["0.5 mW"], "Papers/Smith 2021 - Raman thermometry.md"),
    ("How long does the cryostat take to reach 10 K?", ["90 minutes"], "Lab/Cryostat.md"),
    ("Why must the cryostat not be opened when cold?", ["frosts"], "Lab/Cryostat.md"),
    ("What is Tom's phone extension?", ["4471"], "People/Tom.md"),
    ("What is the open problem in thesis chapter 3?", ["substrate heats"], "Thesis.canvas"),
    ("What is on the optics drawing?", ["beam splitter"], "Drawings/Setup.excalidraw.md"),
    ("When was the roughing pump oil changed?", ["February 1"], "logseq-graph/pages/Vacuum.md"),
    ("How do I test the vacuum for a leak?", ["helium"], "logseq-graph/pages/Vacuum.md"),
]


def make(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    files = dict(NOTES) | LOGSEQ
    files["Drawings/Setup.excalidraw.md"] = _excalidraw()
    files["Thesis.canvas"] = json.dumps(BOARD, indent="\t")
    for rel, text in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "assets").mkdir()
    (folder / "assets/spectrometer-layout.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    print(f"{sum(1 for p in folder.rglob('*') if p.is_file())} files in {folder}")


if __name__ == "__main__":
    walk_ask.main(__doc__, FOLDER, make, QUESTIONS)
