"""Load on the web server: concurrent POST /api/compare against a server on 127.0.0.1.

Starts `parallax.web:create_app` under uvicorn in a child process on a free loopback port, sends
one comparison to load the models (timed on its own), then keeps `--concurrency` requests in
flight for `--duration` seconds and prints the latency of the answered ones (p50, p95, max),
the requests per second, every refusal and error by status (503: the server's queue limit,
PARALLAX_WEB_MAX_PENDING, said no) and the server's peak resident memory (VmHWM).

usage:
  .venv/bin/python benchmarks/web_load.py [--duration 60] [--concurrency 50] [--format json|html]
      [--env PARALLAX_WEB_WORKERS=2 ...] [FILE ...]

FILEs are the articles of one comparison (default: the example story), all dated --published.
The figures are this machine's; another process busy on the same cores slows every request.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "nato-membership"
START_TIMEOUT_S = 120
WARMUP_TIMEOUT_S = 600


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "--factory", "parallax.web:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    return subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT)


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {START_TIMEOUT_S} s")


def peak_rss_mib(pid: int) -> float | None:
    """The process's peak resident set size (VmHWM), from /proc; None where there is no /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def load(base: str, body: dict[str, Any], duration: float, concurrency: int) -> dict[str, Any]:
    """`concurrency` clients, each sending its next request once the last is answered, for `duration` s."""
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    deadline = time.monotonic() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async with httpx.AsyncClient(base_url=base, timeout=WARMUP_TIMEOUT_S, limits=limits) as client:

        async def client_loop() -> None:
            while time.monotonic() < deadline:
                start = time.monotonic()
                try:
                    response = await client.post("/api/compare", json=body)
                except httpx.HTTPError as exc:
                    outcomes[type(exc).__name__] += 1
                    continue
                outcomes[str(response.status_code)] += 1
                if response.status_code == 200:
                    latencies.append(time.monotonic() - start)
                elif response.status_code == 503:
                    await asyncio.sleep(0.5)  # as a polite client would, before trying again

        began = time.monotonic()
        await asyncio.gather(*(client_loop() for _ in range(concurrency)))
        elapsed = time.monotonic() - began
    return {"latencies": latencies, "outcomes": outcomes, "elapsed": elapsed}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("files", nargs="*", type=Path, default=[EXAMPLE / "a.txt", EXAMPLE / "b.txt"])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--concurrency", type=int, default=50, help="requests in flight (default 50)")
    parser.add_argument("--format", default="json", choices=["json", "html", "markdown"])
    parser.add_argument("--published", default="2024-12-03")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="server environment")
    args = parser.parse_args()

    articles = [
        {"text": path.read_text(encoding="utf-8"), "outlet": path.stem, "published": args.published}
        for path in args.files
    ]
    body = {"articles": articles, "format": args.format}
    env = dict(item.split("=", 1) for item in args.env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, env)
    try:
        wait_until_up(base, server)
        start = time.monotonic()
        first = httpx.post(f"{base}/api/compare", json=body, timeout=WARMUP_TIMEOUT_S)
        first_s = time.monotonic() - start
        if first.status_code != 200:
            raise SystemExit(f"the first comparison failed: {first.status_code} {first.text[:500]}")
        result = asyncio.run(load(base, body, args.duration, args.concurrency))
        rss = peak_rss_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()

    latencies, outcomes = result["latencies"], result["outcomes"]
    sent = sum(outcomes.values())
    failed = sent - outcomes.get("200", 0)
    chars = sum(len(a["text"]) for a in articles)
    print(f"input: {len(articles)} articles, {chars:,} characters; format {args.format}; env {env or '-'}")
    print(f"first request (loads the models): {first_s:.2f} s")
    print(
        f"load: {args.concurrency} in flight for {args.duration:.0f} s (the last answered at "
        f"{result['elapsed']:.1f} s): {sent} sent, "
        f"{outcomes.get('200', 0)} answered ({outcomes.get('200', 0) / result['elapsed']:.2f}/s), "
        f"{failed} refused or failed"
    )
    if latencies:
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        print(
            f"latency of answered: p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(latencies):.2f} s, "
            f"mean {statistics.fmean(latencies):.2f} s"
        )
    print("outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())))
    print(f"server peak RSS: {rss:.0f} MiB" if rss is not None else "server peak RSS: unknown (no /proc)")


if __name__ == "__main__":
    main()
