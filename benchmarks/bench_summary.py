"""Work summaries at county scale (seed_demo --scale county): build + render times.

    .venv/bin/python benchmarks/bench_summary.py [--runs 5] [--period 2026H1]

Measures, for the first township and the whole county, the full path a chair or reviewer waits
for: indicators and lists from the database, the document, then the PDF or DOCX. Each figure is
printed beside a baseline run alternately in the same process:
  - PDF: the same document's HTML rendered by WeasyPrint with default settings
    (weasyprint.HTML(string=...).write_pdf(), default URL fetcher, WeasyPrint's own font handling
    without reports/pdf_fonts.py), after the same build; render_pdf's runs start without kept
    font subsets, as a first render does;
  - DOCX: the same paragraphs written by bare python-docx with no styling.
Goals (issue 5): township half-year PDF < 1 s, DOCX < 0.3 s, county roll-up < 3 s. Beside the
wall-clock medians, the median CPU time of this process (steadier on a busy machine; on SQLite it
includes the database) and the PDFs' page counts.
"""

import argparse
import io
import statistics
import subprocess
import time
from collections.abc import Callable

from county import ROOT, setup_county_database


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of `runs` calls after a warm-up."""
    fn()  # warm-up: fonts, templates, SQLite page cache
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times), statistics.median(cpu)


def pages(pdf: bytes) -> str:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    line = next(line for line in info.decode().splitlines() if line.startswith("Pages:"))
    return f"{int(line.split()[1])} 页"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--period", default="2026H1")
    args = parser.parse_args()
    setup_county_database()

    import docx
    import weasyprint
    from django.db import connection

    from reports import pdf_fonts
    from reports.render_docx import render_docx
    from reports.render_pdf import PRINT_STYLESHEET, render_pdf, subsetter_in_use, summary_html
    from reports.services import summary_document
    from unionportal.models import County, Township
    from unionportal.periods import parse_period

    period = parse_period(args.period)
    township = Township.objects.select_related("county").order_by("pk").first()
    county = County.objects.get(pk=township.county_id)
    css = (ROOT / "static" / PRINT_STYLESHEET).read_text(encoding="utf-8")

    def ours_pdf(document) -> bytes:
        # Each time a first render: no font subset kept from the render before (pdf_fonts).
        pdf_fonts.subsets.clear()
        return render_pdf(document)

    def baseline_pdf(document) -> bytes:
        page = summary_html(document).replace("</head>", f"<style>{css}</style></head>", 1)
        # WeasyPrint as it ships: importing reports.render_pdf installed pdf_fonts in this process.
        with pdf_fonts.as_weasyprint_ships():
            return weasyprint.HTML(string=page).write_pdf()

    def baseline_docx(document) -> bytes:
        word = docx.Document()
        for line in document.plain_text().splitlines():
            word.add_paragraph(line)
        out = io.BytesIO()
        word.save(out)
        return out.getvalue()

    def township_doc():
        return summary_document(township=township, period=period)

    def county_doc():
        return summary_document(county=county, period=period)

    cases = [
        (
            "乡镇半年总结 PDF",
            lambda: ours_pdf(township_doc()),
            lambda: baseline_pdf(township_doc()),
            1.0,
            True,
        ),
        (
            "乡镇半年总结 DOCX",
            lambda: render_docx(township_doc()),
            lambda: baseline_docx(township_doc()),
            0.3,
            False,
        ),
        (
            "全县汇总 PDF",
            lambda: ours_pdf(county_doc()),
            lambda: baseline_pdf(county_doc()),
            3.0,
            True,
        ),
        (
            "全县汇总 DOCX",
            lambda: render_docx(county_doc()),
            lambda: baseline_docx(county_doc()),
            3.0,
            False,
        ),
    ]
    print(f"数据库：{connection.vendor}，{Township.objects.count()} 个乡镇；期间 {period.label}")
    print(f"WeasyPrint {weasyprint.__version__}，字体子集化：{subsetter_in_use()}")
    build, build_cpu = median_time(township_doc, args.runs)
    build_county, build_county_cpu = median_time(county_doc, args.runs)
    print(
        f"  只生成文档（指标+文字）：乡镇 {build:.3f} s（CPU {build_cpu:.3f} s），"
        f"全县 {build_county:.3f} s（CPU {build_county_cpu:.3f} s）"
    )
    for label, ours, baseline, goal, is_pdf in cases:
        t_ours, cpu_ours = median_time(ours, args.runs)
        t_base, cpu_base = median_time(baseline, args.runs)
        verdict = "达标" if t_ours < goal else "未达标"
        print(
            f"  {label:<14} {t_ours:6.3f} s（CPU {cpu_ours:6.3f} s）"
            f"   基线 {t_base:6.3f} s（CPU {cpu_base:6.3f} s）   比值 {t_ours / t_base:4.2f}"
            f"   目标 < {goal} s：{verdict}   {pages(ours()) if is_pdf else ''}"
        )


if __name__ == "__main__":
    main()
