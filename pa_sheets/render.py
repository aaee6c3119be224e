"""Render every output of the demo to PNG pages, so anyone can look at what a person sees.

    python -m pa_sheets.render OUTDIR [--docs docs/]

runs the demo into OUTDIR/pa-sheets-demo, adds the two outputs the demo does not make (the
evaluation of the filled jaarschijven, and the overview of a bod of every corporatie), prints
each workbook to PDF with LibreOffice (as it would print on paper: the print setup decides the
pages) and each PDF page to a PNG with pdftoppm, in OUTDIR/png/<workbook>-<page>.png. It prints
one line per workbook with its number of pages. Needs `soffice` and `pdftoppm`
(libreoffice-calc-nogui and poppler-utils).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from pa_sheets.cycle.evaluate import evaluate_paths
from pa_sheets.cycle.evaluation_workbook import write_evaluation
from pa_sheets.cycle.verslag import verslag_paths
from pa_sheets.demo.fill import fill_workbook
from pa_sheets.demo.run import DEMO_YEAR, run_demo, sample_config
from pa_sheets.merge.combine import merge_paths
from pa_sheets.merge.overview import write_overview
from pa_sheets.spec.model import load_spec
from pa_sheets.workbook.generate import generate

RESOLUTION = 60  # dots per inch: enough to read a page on screen, small enough to store


def make_outputs(out_dir: Path) -> list[Path]:
    """The demo's workbooks, the evaluation (with its Verslag workbooks) and a bod overview,
    under `out_dir`."""
    demo_dir = out_dir / "pa-sheets-demo"
    run_demo(demo_dir, echo=lambda _: None)
    spec = load_spec()
    extra = demo_dir / "7-extra"
    extra.mkdir(parents=True, exist_ok=True)
    filled = sorted((demo_dir / "2-ingevuld").glob("jaarschijf-*.xlsx"))
    evaluation = evaluate_paths(filled, spec=spec)
    outputs = sorted(demo_dir.rglob("*.xlsx"))
    written = write_evaluation(evaluation, extra / f"evaluatie-{DEMO_YEAR}.xlsx", spec, force=True)
    outputs += [written, *verslag_paths(evaluation, written).values()]
    years = tuple(range(DEMO_YEAR, DEMO_YEAR + 5))
    with tempfile.TemporaryDirectory() as temp:  # a bod of every corporatie: only a means
        blank = generate("bod", sample_config(), years, Path(temp), force=True, spec=spec)
        boden = [
            fill_workbook(path, Path(temp) / "ingevuld" / path.name, seed=i, spec=spec)
            for i, path in enumerate(blank)
        ]
        merged = merge_paths(boden, spec=spec)
        outputs.append(
            write_overview(merged, extra / f"gezamenlijk-bod-{years[0]}.xlsx", force=True)
        )
    return outputs


def to_pdf(workbooks: list[Path], pdf_dir: Path) -> list[Path]:
    """Print every workbook to pdf_dir/<name>.pdf with LibreOffice, in one run (starting it
    takes longer than printing a workbook); the PDFs in the order of `workbooks`."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        raise SystemExit("Renderen vraagt LibreOffice (soffice) en pdftoppm (poppler-utils).")
    names = [workbook.stem for workbook in workbooks]
    if len(set(names)) != len(names):  # one PDF per name: copy them apart first
        raise SystemExit("Twee werkboeken met dezelfde naam; render ze apart.")
    pdf_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:  # its own profile: beside an open LibreOffice
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(pdf_dir),
                *map(str, workbooks),
            ],
            check=True,
            capture_output=True,
            timeout=1800,
        )
    return [pdf_dir / f"{name}.pdf" for name in names]


def to_png(pdf: Path, png_dir: Path, name: str) -> int:
    """Each page of `pdf` as png_dir/name-N.png; the number of pages."""
    png_dir.mkdir(parents=True, exist_ok=True)
    for old in png_dir.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(RESOLUTION), str(pdf), str(png_dir / name)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return len(list(png_dir.glob(f"{name}-*.png")))


def render_all(out_dir: Path) -> dict[Path, int]:
    """Make every output under `out_dir` and render each; the pages per workbook."""
    demo_dir = out_dir / "pa-sheets-demo"
    workbooks = make_outputs(out_dir)
    # The same name in two folders (a blank and a filled workbook): apart, by folder.
    staged = out_dir / "te-printen"
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    copies = []
    for workbook in workbooks:
        copy = staged / ("_".join(workbook.relative_to(demo_dir).with_suffix("").parts) + ".xlsx")
        shutil.copyfile(workbook, copy)
        copies.append(copy)
    pdfs = to_pdf(copies, out_dir / "pdf")
    shutil.rmtree(staged)
    return {
        workbook: to_png(pdf, out_dir / "png", pdf.stem)
        for workbook, pdf in zip(workbooks, pdfs, strict=True)
    }


def docs_pictures(out_dir: Path, docs_dir: Path) -> list[Path]:
    """The README's pictures, from the PDFs render_all made: the overview's Samenvatting at
    its charts (the first page with an axis title), and the Controle sheet of the annotated
    copy."""
    pdf_dir = out_dir / "pdf"
    wanted = [
        ("5-gezamenlijk_gezamenlijk-jaarschijf-2027", "Aantal afspraken", "overzicht-samenvatting"),
        ("4-controle_jaarschijf-2027-voorbeeldstad-linde-controle", "Controle van", "controle"),
    ]
    written = []
    for stem, text, name in wanted:
        pdf = pdf_dir / f"{stem}.pdf"
        page = next(n for n in range(1, 100) if text in _page_text(pdf, n))
        target = docs_dir / f"{name}.png"
        docs_dir.mkdir(parents=True, exist_ok=True)
        pages = ["-f", str(page), "-l", str(page), "-singlefile"]
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", *pages, str(pdf), str(target.with_suffix(""))],
            check=True,
            capture_output=True,
            timeout=600,
        )
        written.append(target)
    return written


def _page_text(pdf: Path, page: int) -> str:
    found = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if found.returncode != 0:
        raise SystemExit(f"{pdf}: geen pagina {page} met de gezochte tekst.")
    return found.stdout


def main(argv: list[str]) -> None:
    """python -m pa_sheets.render UITMAP [--docs MAP]: --docs also writes the README's
    pictures into MAP."""
    usage = "Gebruik: python -m pa_sheets.render UITMAP [--docs MAP]"
    if argv in (["-h"], ["--help"]):
        print(f"{usage}\n\n{__doc__.split(chr(10) * 2, 2)[2]}")
        return
    if (
        len(argv) not in (1, 3)
        or (len(argv) == 3 and argv[1] != "--docs")
        or any(arg.startswith("-") for arg in argv[::2])
    ):
        print(usage, file=sys.stderr)
        raise SystemExit(2)
    out_dir = Path(argv[0])
    try:
        rendered = render_all(out_dir)
    except subprocess.CalledProcessError as exc:
        print(f"{exc.cmd[0]} faalde (code {exc.returncode}).", file=sys.stderr)
        raise SystemExit(2) from None
    for workbook, count in rendered.items():
        print(f"{count:4d} pagina('s)  {workbook.relative_to(out_dir)}")
    print(f"De pagina's staan in {out_dir / 'png'}, de PDF's in {out_dir / 'pdf'}")
    if len(argv) == 3:
        for picture in docs_pictures(out_dir, Path(argv[2])):
            print(f"Voor de README: {picture}")


if __name__ == "__main__":
    main(sys.argv[1:])
