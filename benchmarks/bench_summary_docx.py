"""Time render_docx on a long summary beside a bare python-docx baseline.

Run: .venv/bin/python benchmarks/bench_summary_docx.py

The summary is sample_document(repeat=8), far longer than a township's half-year summary; the
target is under 0.3 s. The baseline writes the same paragraphs into python-docx's default
document with no styles, no tables and no page set-up, measured in the same run so the ratio
says what the official layout costs on this machine.
"""

import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

RUNS = 10
TARGET_SECONDS = 0.3


def median_seconds(work: Callable[[], object], runs: int = RUNS) -> float:
    work()  # warm-up: imports, template parsing caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
    # In-process, on the development keys, which only DEBUG=1 or the test run accept.
    os.environ.setdefault("TESTING", "1")
    import django

    django.setup()

    import docx

    from reports.render_docx import render_docx
    from unionportal.tests.factories import sample_document

    document = sample_document(repeat=8)
    lines = document.plain_text().splitlines()

    def baseline() -> bytes:
        word = docx.Document()
        for line in lines:
            word.add_paragraph(line)
        out = io.BytesIO()
        word.save(out)
        return out.getvalue()

    size = len(render_docx(document))
    rendered = median_seconds(lambda: render_docx(document))
    bare = median_seconds(baseline)
    print(f"summary: {len(lines)} lines of text, DOCX {size / 1024:.0f} KiB")
    print(f"render_docx (GB/T 9704 layout): median {rendered * 1000:.1f} ms of {RUNS} runs")
    print(f"bare python-docx baseline:      median {bare * 1000:.1f} ms of {RUNS} runs")
    print(f"ratio: {rendered / bare:.2f}x")
    verdict = "within" if rendered < TARGET_SECONDS else "OVER"
    print(f"target {TARGET_SECONDS:.1f} s: {verdict}")


if __name__ == "__main__":
    main()
