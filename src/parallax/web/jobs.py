"""Background work for the web server: a bounded thread pool, and the jobs clients poll.

Comparisons are CPU-bound, so every one of them (a background job or a request that waits
for its answer) runs in the same small pool; a limit on the work queued or running refuses
more instead of letting the queue, and memory, grow without bound. Finished jobs are kept
for polling up to a count, the oldest forgotten first. All shared state sits behind one lock.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeVar

__all__ = ["Job", "JobOutput", "JobRunner", "JobStatus", "Progress", "RunnerBusy"]

T = TypeVar("T")
JobStatus = Literal["queued", "running", "done", "failed"]
Progress = Callable[[str], None]
"""Called with the name of each stage as the work enters it."""


class RunnerBusy(Exception):
    """As much work as the runner allows is already queued or running."""


@dataclass(frozen=True)
class JobOutput:
    """What a job's work may return to keep a page beside its result: `result` is polled, `page` viewed."""

    result: Any
    page: str | None = None


@dataclass
class Job:
    """One background job as a client sees it; changed only by its JobRunner, under its lock.

    `page` (an HTML view of the result, when the work made one) is served apart, never in to_dict.
    """

    id: str
    status: JobStatus = "queued"
    progress: str = "queued"
    result: Any = None
    error: dict[str, Any] | None = None
    page: str | None = None

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"job": self.id, "status": self.status, "progress": self.progress}
        if self.status == "done":
            body["result"] = self.result
        elif self.status == "failed":
            body["error"] = self.error
        return body


class JobRunner:
    """Runs work in `workers` threads, at most `max_pending` at once, and keeps finished jobs for polling.

    `describe_error` turns an exception a job raised into the JSON a client reads; it is the
    web app's error mapping, so a failed job says what a failed request would.
    """

    def __init__(
        self,
        *,
        workers: int,
        max_pending: int,
        max_finished: int,
        describe_error: Callable[[BaseException], dict[str, Any]],
    ) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="parallax-web")
        self._max_pending = max_pending
        self._max_finished = max_finished
        self._describe_error = describe_error
        self._lock = threading.Lock()
        self._pending = 0
        self._jobs: dict[str, Job] = {}
        self._finished: deque[str] = deque()

    def run(self, work: Callable[[], T]) -> Future[T]:
        """Run `work` in the pool for a caller that waits for the answer itself (no job is kept)."""
        self._reserve()
        return self._executor.submit(self._counted, work)

    def submit(self, work: Callable[[Progress], Any]) -> Job:
        """Queue `work(progress)` as a job; returns a snapshot of the queued job."""
        self._reserve()
        job = Job(id=uuid.uuid4().hex)
        with self._lock:
            self._jobs[job.id] = job
        self._executor.submit(self._counted, lambda: self._run_job(job, work))
        return self.get(job.id) or job

    def get(self, job_id: str) -> Job | None:
        """A copy of the job as it stands, or None when it is unknown or forgotten."""
        with self._lock:
            job = self._jobs.get(job_id)
            return None if job is None else replace(job)

    def shutdown(self) -> None:
        """Drop queued work and stop taking more; work already running finishes in its thread."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _reserve(self) -> None:
        with self._lock:
            if self._pending >= self._max_pending:
                raise RunnerBusy(f"{self._pending} comparisons are queued or running already")
            self._pending += 1

    def _counted(self, work: Callable[[], T]) -> T:
        try:
            return work()
        finally:
            with self._lock:
                self._pending -= 1

    def _run_job(self, job: Job, work: Callable[[Progress], Any]) -> None:
        def progress(stage: str) -> None:
            with self._lock:
                job.progress = stage

        with self._lock:
            job.status = job.progress = "running"
        try:
            result = work(progress)
        except BaseException as exc:  # a job's failure is reported to its client, never raised here
            self._finish(job, "failed", error=self._describe_error(exc))
            if not isinstance(exc, Exception):
                raise
        else:
            if isinstance(result, JobOutput):
                self._finish(job, "done", result=result.result, page=result.page)
            else:
                self._finish(job, "done", result=result)

    def _finish(
        self,
        job: Job,
        status: JobStatus,
        *,
        result: Any = None,
        error: dict[str, Any] | None = None,
        page: str | None = None,
    ) -> None:
        with self._lock:
            job.status = job.progress = status
            job.result, job.error, job.page = result, error, page
            self._finished.append(job.id)
            while len(self._finished) > self._max_finished:
                self._jobs.pop(self._finished.popleft(), None)
