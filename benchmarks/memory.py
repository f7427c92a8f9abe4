"""Memory figures of the benchmark's own process (Linux /proc), for the benchmarks that measure
what one step adds: reset the peak, run the step, read the peak."""

from __future__ import annotations

from pathlib import Path


def status(field: str) -> float:
    """A memory figure of this process in MB (/proc/self/status: VmRSS, VmHWM…)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    except OSError:
        pass
