"""Time render_pdf on a long work summary against plain WeasyPrint on the same HTML.

    .venv/bin/python benchmarks/bench_summary_pdf.py [--repeat 18] [--runs 5]

sample_document(repeat=18) is about 20 pages in this layout. The baseline is the HTML that
render_pdf lays out, with the print stylesheet pasted into a <style> element so both give the same
pages, rendered by `weasyprint.HTML(string=...).write_pdf()` with no options: WeasyPrint's default
URL fetcher and settings, and WeasyPrint's own font handling (reports/pdf_fonts.py taken out for
it; render_pdf's runs start without kept font subsets, as a first render does). Both run in this
process, alternately, after one warm-up each (the first render loads the fonts). Prints the font
subsetter in use, pages, sizes, and median wall-clock and CPU times with their ratios (CPU time is
the steadier figure on a busy machine).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def page_count(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout
    line = next(line for line in info.decode().splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def timed(render: Callable[[], bytes]) -> tuple[float, float, bytes]:
    wall, cpu = time.perf_counter(), time.process_time()
    pdf = render()
    return time.perf_counter() - wall, time.process_time() - cpu, pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=18, help="sample_document(repeat=N)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each renderer")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
    # In-process, on the development keys, which only DEBUG=1 or the test run accept.
    os.environ.setdefault("TESTING", "1")
    import django

    django.setup()

    import weasyprint

    from reports import pdf_fonts
    from reports.render_pdf import PRINT_STYLESHEET, render_pdf, subsetter_in_use, summary_html
    from unionportal.tests.factories import sample_document

    document = sample_document(repeat=args.repeat)
    css = (ROOT / "static" / PRINT_STYLESHEET).read_text(encoding="utf-8")
    page = summary_html(document).replace("</head>", f"<style>{css}</style>\n</head>", 1)

    def ours() -> bytes:
        # Each time a first render: no font subset kept from the render before (pdf_fonts).
        pdf_fonts.subsets.clear()
        return render_pdf(document)

    def shipped() -> bytes:
        # WeasyPrint as it ships: importing reports.render_pdf installed pdf_fonts in this process.
        with pdf_fonts.as_weasyprint_ships():
            return weasyprint.HTML(string=page).write_pdf()

    renderers = {"render_pdf": ours, "baseline": shipped}
    wall: dict[str, list[float]] = {name: [] for name in renderers}
    cpu: dict[str, list[float]] = {name: [] for name in renderers}
    outputs: dict[str, bytes] = {}
    for name, render in renderers.items():
        outputs[name] = render()  # warm-up: fonts, fontconfig cache, templates
    for _ in range(args.runs):
        for name, render in renderers.items():
            wall_seconds, cpu_seconds, outputs[name] = timed(render)
            wall[name].append(wall_seconds)
            cpu[name].append(cpu_seconds)

    print(f"WeasyPrint {weasyprint.__version__}, font subsetter: {subsetter_in_use()}")
    print(f"sample_document(repeat={args.repeat}), median of {args.runs} runs after a warm-up")
    for name in renderers:
        pdf = outputs[name]
        print(
            f"  {name:<11} {page_count(pdf):>3} pages {len(pdf) / 1024:>7.0f} KiB "
            f"wall {statistics.median(wall[name]):6.3f} s "
            f"(min {min(wall[name]):.3f}, max {max(wall[name]):.3f})  "
            f"CPU {statistics.median(cpu[name]):6.3f} s"
        )
    for label, figures in (("wall", wall), ("CPU", cpu)):
        ratio = statistics.median(figures["render_pdf"]) / statistics.median(figures["baseline"])
        print(f"  render_pdf / baseline, {label}: {ratio:.2f}")


if __name__ == "__main__":
    main()
