#!/usr/bin/env python3
"""Export one survey's responses to a file with the `qualtrics` 0.4.2 package.

This is the Python side of the Pulsemap benchmark (see docs/BENCHMARKS.md). It drives the
package's own public API -- `QualtricsClient.responses.export(...)`: POST export-responses,
poll the progress every `--poll-interval` seconds, download the file, write it to disk -- so
the figures measure that client, not a reimplementation of the HTTP flow.

Connection settings come from the package's own environment variables:
  QUALTRICS_BASE_URL   e.g. http://127.0.0.1:PORT/API/v3 (the simulator)
  QUALTRICS_API_TOKEN  the token (never printed)

Prints one JSON object on stdout:
  {"wall_s": ..., "bytes": ..., "path": ..., "self_max_rss_kb": ..., "progress_id": ...}
Peak RSS for the comparison is measured by the harness from the child's rusage; the value
printed here (ru_maxrss of this process) is only a cross-check.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

from qualtrics.api import QualtricsClient, ResponseExportRequest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--survey-id", required=True)
    parser.add_argument("--output", required=True, type=Path, help="file to write")
    parser.add_argument("--poll-interval", type=float, default=1.0, help="seconds between polls")
    parser.add_argument("--format", default="csv", choices=["json", "ndjson", "csv", "tsv"])
    parser.add_argument("--no-compress", action="store_true", help="ask for the raw file, not a zip")
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args()

    if not os.environ.get("QUALTRICS_BASE_URL"):
        print("QUALTRICS_BASE_URL is not set", file=sys.stderr)
        return 2
    # The package's own defaults (CSV, zipped, labels) unless told otherwise. Note that this
    # package always sends `useLabels` and `includeDisplayOrder`, which Qualtrics rejects for
    # JSON/NDJSON exports (400 QVAL_7 on the simulator), so only CSV/TSV work with it.
    options = ResponseExportRequest(format=args.format, compress=not args.no_compress)

    started = time.perf_counter()
    with QualtricsClient(timeout=600.0) as client:
        result = client.responses.export(
            args.survey_id,
            args.output,
            options=options,
            poll_interval=args.poll_interval,
            timeout=args.timeout,
        )
    wall = time.perf_counter() - started

    path = Path(result.path)
    report = {
        "wall_s": round(wall, 6),
        "bytes": path.stat().st_size,
        "path": str(path),
        "format": args.format,
        "compressed": not args.no_compress,
        "progress_id": result.progress_id,
        # Linux reports ru_maxrss in KiB.
        "self_max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
