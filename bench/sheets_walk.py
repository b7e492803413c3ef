"""Walk 33: a researcher's folder of spreadsheets, made from the datasets statsmodels ships (its sdist, as the bench
downloads it), asked 14 questions a user would ask of them, offline (the extractive answer, no model).

    python bench/sheets_walk.py make [--folder ~/.cache/docchat-bench/sheets]
    python bench/sheets_walk.py ask [--folder ...]        # index it in a fresh store, ask each question, print the answers

The workbooks hold what such folders hold: a title row and a source note above the header, a group header merged
across its columns, dates, formulas (written with their computed values, as Excel saves them), a chart sheet, a hidden
sheet of variable codes, a notes sheet of one column, OpenDocument files, a CSV exported beside its workbook, and a
password-protected workbook. The questions were written before the folder was first indexed (walk 33).
"""

from __future__ import annotations

import csv
import datetime
import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

DATASETS = Path.home() / ".cache/docchat-bench/downloads/statsmodels-0.14.4/statsmodels/datasets"
sys.path.insert(0, str(Path(__file__).parent))
import walk_ask  # noqa: E402

FOLDER = Path.home() / ".cache/docchat-bench/sheets"

# (question, words the answer must hold to be right, the file it should cite)
QUESTIONS = [
    ("What was the unemployment rate in the second quarter of 1975?", ["8.9"], "us_macro.xlsx"),
    ("What was the average unemployment rate in 1982?", ["9.7"], "us_macro.xlsx"),
    ("How many people were unemployed in 1950 in the Longley data?", ["3351"], "longley.xlsx"),
    ("Why is the Longley dataset used?", ["collinear"], "longley.xlsx"),
    ("How many smokers with lung cancer were there in Shanghai?", ["908"], "china_smoking.xlsx"),
    ("What was the sea surface temperature in December 1997?", ["27.08"], "elnino.ods"),
    ("How many sunspots were observed in 1957?", ["190.2"], "sunspots.xlsx"),
    ("What does PSI mean in the Spector data?", ["personalized system of instruction"], "spector.xlsx"),
    ("What was the stack loss at air flow 62, water temperature 22 and acid concentration 87?", ["18"],
     "stackloss.xlsx"),
    ("What was the CO2 concentration in the week of 1965-01-09?", ["319.1"], "co2.xlsx"),
    ("What was the copper price in 1970?", ["52.27"], "copper.xlsx"),
    ("What was the Nile's flow volume in 1913?", ["456"], "nile.xlsx"),
    ("How many observations does the Fair affairs data have?", ["6366"], "fair.xlsx"),
    ("In Beijing, how many smokers and how many non-smokers had lung cancer?", ["126", "35"],
     "china_smoking.xlsx"),
]


def rows(name: str, delimiter: str = ",") -> tuple[list[str], list[list[str]]]:
    with open(DATASETS / name, newline="") as stream:
        records = [r for r in csv.reader(stream, delimiter=delimiter, skipinitialspace=True) if r]
    return records[0], records[1:]


def number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def note(module: str, name: str) -> str:
    """A dataset's text from its data.py (statsmodels' own description)."""
    import ast

    found: dict[str, str] = {}
    for node in ast.parse((DATASETS / module / "data.py").read_text()).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found[node.targets[0].id] = value.value
            elif isinstance(value, ast.Name) and value.id in found:  # DESCRLONG = DESCRSHORT
                found[node.targets[0].id] = found[value.id]
    return found.get(name, "").replace("::", ":")


def make(folder: Path) -> None:
    import xlsxwriter

    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()

    # us_macro.xlsx: title, source note, dates, an annual sheet of formulas, a chart sheet
    header, data = rows("macrodata/macrodata.csv")
    book = xlsxwriter.Workbook(folder / "us_macro.xlsx")
    bold, date = book.add_format({"bold": True}), book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Quarterly")
    sheet.merge_range(0, 0, 0, 6, "US macroeconomic series, quarterly, 1959Q1-2009Q3", bold)
    sheet.write(1, 0, "Source: Federal Reserve Bank of St. Louis, Bureau of Labor Statistics (statsmodels macrodata)")
    names = ["Quarter start", "Year", "Quarter", "Real GDP", "Real consumption", "Real investment", "CPI",
             "T-bill rate", "Unemployment rate", "Inflation rate"]
    columns = ["year", "quarter", "realgdp", "realcons", "realinv", "cpi", "tbilrate", "unemp", "infl"]
    sheet.write_row(3, 0, names, bold)
    for n, record in enumerate(data):
        values = dict(zip(header, record))
        year, quarter = int(float(values["year"])), int(float(values["quarter"]))
        sheet.write_datetime(4 + n, 0, datetime.datetime(year, 3 * quarter - 2, 1), date)
        sheet.write_row(4 + n, 1, [float(values[c]) for c in columns])
    annual = book.add_worksheet("Annual")
    annual.write_row(0, 0, ["Year", "Average unemployment rate", "Average inflation rate"], bold)
    by_year: dict[int, list[tuple[int, float, float]]] = {}
    for n, record in enumerate(data):
        values = dict(zip(header, record))
        by_year.setdefault(int(float(values["year"])), []).append((5 + n, float(values["unemp"]), float(values["infl"])))
    for k, (year, quarters) in enumerate(sorted(by_year.items())):
        first, last = quarters[0][0], quarters[-1][0]
        annual.write_number(1 + k, 0, year)
        annual.write_formula(1 + k, 1, f"=AVERAGE(Quarterly!I{first}:I{last})", None,
                             round(sum(q[1] for q in quarters) / len(quarters), 10))
        annual.write_formula(1 + k, 2, f"=AVERAGE(Quarterly!J{first}:J{last})", None,
                             round(sum(q[2] for q in quarters) / len(quarters), 10))
    chart_sheet = book.add_chartsheet("GDP chart")
    chart = book.add_chart({"type": "line"})
    chart.add_series({"name": "Real GDP", "categories": f"=Quarterly!$A$5:$A${4 + len(data)}",
                      "values": f"=Quarterly!$D$5:$D${4 + len(data)}"})
    chart.set_title({"name": "US real GDP, 1959-2009"})
    chart_sheet.set_chart(chart)
    book.close()

    # longley.xlsx: group headers merged across, a notes sheet of one column
    header, data = rows("longley/longley.csv")
    book = xlsxwriter.Workbook(folder / "longley.xlsx")
    bold = book.add_format({"bold": True, "align": "center"})
    sheet = book.add_worksheet("Employment")
    sheet.write(0, 0, "Longley (1967) US macroeconomic data, 1947-1962", bold)
    sheet.merge_range(2, 1, 2, 3, "Labour (thousands)", bold)
    sheet.merge_range(2, 4, 2, 5, "Economy", bold)
    sheet.write_row(3, 0, ["Year", "Total employed", "Unemployed", "Armed forces", "GNP deflator", "GNP",
                           "Population"], bold)
    for n, record in enumerate(data):
        v = dict(zip(header, record))
        sheet.write_row(4 + n, 0, [float(v[c]) for c in ("YEAR", "TOTEMP", "UNEMP", "ARMED", "GNPDEFL", "GNP", "POP")])
    notes = book.add_worksheet("Notes")
    for n, line in enumerate([note("longley", "DESCRLONG").strip(), *note("longley", "NOTE").strip().splitlines()]):
        if line.strip():
            notes.write(n, 0, line.strip())
    book.close()

    # china_smoking.xlsx: a two-row header, a total column of formulas
    header, data = rows("china_smoking/china_smoking.csv")
    book = xlsxwriter.Workbook(folder / "china_smoking.xlsx")
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("Lung cancer by city")
    sheet.write(0, 0, "Smoking and lung cancer in eight Chinese cities (Liu 1992)", bold)
    sheet.merge_range(1, 1, 1, 2, "Smokers", bold)
    sheet.merge_range(1, 3, 1, 4, "Non-smokers", bold)
    sheet.write_row(2, 0, ["City", "Lung cancer", "No lung cancer", "Lung cancer", "No lung cancer", "Total"], bold)
    for n, record in enumerate(data):
        counts = [int(c) for c in record[1:]]
        sheet.write(3 + n, 0, record[0])
        sheet.write_row(3 + n, 1, counts)
        sheet.write_formula(3 + n, 5, f"=SUM(B{4 + n}:E{4 + n})", None, sum(counts))
    book.close()

    # elnino.ods: OpenDocument, a wide table of months
    header, data = rows("elnino/elnino.csv")
    write_ods(folder / "elnino.ods", "Sea surface temperature",
              [["El Nino: monthly sea surface temperature (degrees C), 1950-2010"], [],
               [h.title() for h in header], *[[number(c) for c in record] for record in data]])

    # sunspots.xlsx, copper.xlsx, nile.xlsx, strikes.xlsx, fair.xlsx: a table under a title, some with an about sheet
    for name, csv_name, title, about in (
            ("sunspots.xlsx", "sunspots/sunspots.csv", "Yearly sunspot numbers, 1700-2008", None),
            ("copper.xlsx", "copper/copper.csv", "World copper market, 1951-1975", "copper"),
            ("nile.xlsx", "nile/nile.csv", "Annual flow of the river Nile at Aswan, 1871-1970 (10^8 m^3)", "nile"),
            ("strikes.xlsx", "strikes/strikes.csv", "Strike duration and industrial production", "strikes"),
            ("fair.xlsx", "fair/fair.csv", "Fair (1978) extramarital affairs survey", "fair")):
        header, data = rows(csv_name)
        book = xlsxwriter.Workbook(folder / name)
        bold = book.add_format({"bold": True})
        sheet = book.add_worksheet("Data")
        sheet.write(0, 0, title, bold)
        sheet.write_row(2, 0, [h.replace("_", " ") for h in header], bold)
        for n, record in enumerate(data):
            sheet.write_row(3 + n, 0, [number(c) for c in record])
        if about:
            sheet = book.add_worksheet("About")
            lines = [note(about, "DESCRLONG"), *note(about, "NOTE").splitlines()]
            for n, line in enumerate(line.strip() for line in lines if line.strip()):
                sheet.write(n, 0, line)
        book.close()

    # spector.xlsx: a hidden sheet of the variables' codes
    header, data = rows("spector/spector.csv", " ")
    book = xlsxwriter.Workbook(folder / "spector.xlsx")
    sheet = book.add_worksheet("Students")
    sheet.write_row(0, 0, [h.strip("'") for h in header])
    for n, record in enumerate(data):
        sheet.write_row(1 + n, 0, [number(c) for c in record])
    codes = book.add_worksheet("Codes")
    codes.write_row(0, 0, ["Variable", "Meaning"])
    for n, (variable, meaning) in enumerate((
            ("GRADE", "binary variable indicating whether or not a student's grade improved; 1 indicates an improvement"),
            ("TUCE", "test score on economics test"),
            ("PSI", "participation in the personalized system of instruction (PSI) program"),
            ("GPA", "student's grade point average"))):
        codes.write_row(1 + n, 0, [variable, meaning])
    codes.hide()
    book.close()

    # stackloss.xlsx and the CSV exported from it beside it
    header, data = rows("stackloss/stackloss.csv")
    book = xlsxwriter.Workbook(folder / "stackloss.xlsx")
    sheet = book.add_worksheet("Plant")
    names = ["Stack loss", "Air flow", "Water temperature", "Acid concentration"]
    sheet.write_row(0, 0, names)
    for n, record in enumerate(data):
        sheet.write_row(1 + n, 0, [number(c) for c in record])
    book.close()
    with open(folder / "stackloss.csv", "w", newline="") as stream:
        csv.writer(stream).writerows([names, *data])

    # co2.xlsx: weekly dates
    header, data = rows("co2/co2.csv")
    book = xlsxwriter.Workbook(folder / "co2.xlsx")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Weekly")
    sheet.write(0, 0, "Atmospheric CO2 at Mauna Loa, weekly averages (ppm)")
    sheet.write_row(2, 0, ["Week", "CO2 (ppm)"])
    for n, (day, value) in enumerate(data):
        sheet.write_datetime(3 + n, 0, datetime.datetime.strptime(day, "%Y%m%d"), date)
        if value:
            sheet.write_number(3 + n, 1, float(value))
    book.close()

    # fred_macrodata.xls: a legacy Excel 97-2003 file as statsmodels' sdist ships it (FRED's export, a README sheet of
    # notes beside monthly and quarterly sheets); added after the questions were written: no question asks of it
    legacy = DATASETS / "macrodata/src/macrodata.xls/macrodata.xls"
    if legacy.is_file():
        (folder / "fred_macrodata.xls").write_bytes(legacy.read_bytes())

    # budget_locked.xlsx: password-protected, as Office writes it
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    book = xlsxwriter.Workbook(plain, {"in_memory": True})
    book.add_worksheet("Budget").write_row(0, 0, ["Item", "Amount"])
    book.close()
    plain.seek(0)
    with open(folder / "budget_locked.xlsx", "wb") as out:
        OOXMLFile(plain).encrypt("secret", out)
    print(f"{len(list(folder.iterdir()))} files in {folder}")


def write_ods(path: Path, name: str, table: list[list[object]]) -> None:
    """An OpenDocument spreadsheet of one sheet, as LibreOffice writes its cells (value types and values)."""
    def cell(value: object) -> str:
        if isinstance(value, float):
            return f'<table:table-cell office:value-type="float" office:value="{value!r}"><text:p>{value:g}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join(f"<table:table-row>{''.join(cell(v) for v in row) or '<table:table-cell/>'}</table:table-row>"
                   for row in table)
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="{escape(name)}">{body}</table:table>'
               '</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    with zipfile.ZipFile(path, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        package.writestr("content.xml", content, zipfile.ZIP_DEFLATED)


if __name__ == "__main__":
    walk_ask.main(__doc__, FOLDER, make, QUESTIONS)
