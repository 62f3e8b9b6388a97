"""Run isfkit batch jobs on a Ray cluster (or a local Ray instance), with the job files
``isf batch`` runs.

    python -m isfkit.distributed JOB.yaml [--address auto|ray://HOST:PORT|local]
        [--workers N] [--gpus-per-worker G] [--resume] [--json]

    from isfkit.distributed import render_job
    summary = render_job("job.yaml", address="local", workers=2)

The job file is read, checked and cut into pieces by isfkit's own job code (Rust, the code
``isf batch`` runs; ``isfkit._native.plan_job`` / ``plan_chunks``): every problem is listed
before anything is scheduled. Each Ray worker is an actor owning one isfkit batch runner (an
engine and an encoder pool) for its lifetime; it writes frames itself, atomically (temporary
name, then rename), to the planned output paths, which must be on a file system every worker
sees. When an actor stops, its engine shuts down and its cleanup report comes back; the
summary's ``cleanup_ok`` is false when any report shows a leak.

Faults: a worker process that dies has its unfinished pieces retried on another worker (with
resume, so frames it finished are not rendered again), at most ``max_retries`` times per
piece; a broken shader, or one that hangs past the engine's deadline, fails its task, not the
job, and is not retried.

``ray`` is optional: ``pip install 'isfkit[ray]'``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import deque
from typing import Any, Callable, Dict, List, Optional, Sequence

from . import _native

INSTALL_HINT = (
    "isfkit.distributed needs Ray, which is not installed: "
    "pip install 'isfkit[ray]'  (or: pip install ray)"
)

__all__ = ["render_job", "main", "INSTALL_HINT"]


def _import_ray():
    try:
        import ray  # noqa: PLC0415
    except ImportError:
        raise ImportError(INSTALL_HINT) from None
    return ray


class _Worker:
    """A Ray actor: one isfkit batch runner (engine + encoder pool) for its lifetime."""

    def __init__(self, deadline: float, threads: int, in_flight: int):
        self._in_flight = in_flight
        self._runner = _native.BatchRunner(deadline=deadline, threads=threads, in_flight=in_flight)

    def pid(self) -> int:
        return os.getpid()

    def run(self, task_json: str, resume: bool) -> str:
        return self._runner.run_task_json(task_json, resume=resume, in_flight=self._in_flight)

    def shutdown(self) -> str:
        return self._runner.shutdown()


def _start_ray(ray, address: Optional[str], workers: Optional[int]) -> bool:
    """Connects to (or starts) Ray; True when this call started it (and must stop it)."""
    if ray.is_initialized():
        return False
    kwargs: Dict[str, Any] = {"log_to_driver": False, "configure_logging": False}
    if address in (None, "", "local"):
        cpus = os.cpu_count() or 1
        ray.init(address="local", num_cpus=max(cpus, workers or 1), include_dashboard=False,
                 **kwargs)
    else:
        ray.init(address=address, **kwargs)
    return True


def _default_workers(ray, gpus_per_worker: float, pieces: int) -> int:
    res = ray.cluster_resources()
    if gpus_per_worker > 0:
        n = int(res.get("GPU", 0) // gpus_per_worker)
    else:
        n = int(res.get("CPU", 1))
    return max(1, min(n, pieces))


class _Progress:
    """Frames done / total and per-worker throughput on stderr (only on a terminal)."""

    def __init__(self, total: int, show: bool):
        self.total = total
        self.show = show
        self.started = time.monotonic()
        self.per_worker: Dict[int, int] = {}

    def update(self, done: int, worker: Optional[int] = None, frames: int = 0) -> None:
        if worker is not None:
            self.per_worker[worker] = self.per_worker.get(worker, 0) + frames
        if not self.show:
            return
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rates = " ".join(f"w{w}:{n / elapsed:.1f}" for w, n in sorted(self.per_worker.items()))
        sys.stderr.write(
            f"\r{done}/{self.total} frames  {done / elapsed:.1f} fps  [{rates}]\x1b[K"
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.show:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def render_job(
    path: "os.PathLike[str] | str",
    address: Optional[str] = "local",
    workers: Optional[int] = None,
    gpus_per_worker: float = 0,
    resume: bool = False,
    *,
    chunk_frames: int = 8,
    split_stateful: bool = False,
    deadline: float = 10.0,
    threads: int = 1,
    in_flight: int = 3,
    max_retries: int = 3,
    progress: bool = False,
    on_progress: Optional[Callable[[int, int, List[int]], None]] = None,
    reports: Optional[list] = None,
) -> Dict[str, Any]:
    """Renders the job file at ``path`` on Ray and returns the summary ``isf batch --json``
    prints (same keys, built by the same Rust code).

    ``address``: ``"local"`` (start a local Ray instance), ``"auto"`` or ``"ray://HOST:PORT"``;
    an already initialised Ray is used as it is. ``workers`` actors (default: one per CPU, or
    per ``gpus_per_worker`` GPUs, at most one per piece), each asking Ray for one CPU and
    ``gpus_per_worker`` GPUs. Stills of stateless shaders go out in chunks of
    ``chunk_frames``; stateful shaders whole (``split_stateful`` cuts them too, each chunk
    rendering its own lead-in). ``on_progress(done, total, worker_pids)`` is called when
    workers start and after each piece. ``reports``, when a list, receives each worker's
    cleanup report (a dict; ``{"lost": True, ...}`` for a worker that died).

    Problems of the job file raise ``ValueError`` (with a ``problems`` list) before Ray is
    touched. Ctrl-C stops scheduling, waits for the pieces running and returns the summary
    with ``interrupted`` set.
    """
    # Absolute, so workers whose working folder differs find the files (shared file system).
    job = os.path.abspath(os.fspath(path))
    tasks: List[str] = _native.plan_job(job)
    pieces = _native.plan_chunks(job, chunk_frames, split_stateful)
    ray = _import_ray()
    started_ray = _start_ray(ray, address, workers)
    try:
        return _run(
            ray, tasks, pieces, workers, gpus_per_worker, resume, deadline, threads,
            in_flight, max_retries, progress, on_progress, reports,
        )
    finally:
        if started_ray:
            ray.shutdown()


def _run(ray, tasks, pieces, workers, gpus_per_worker, resume, deadline, threads, in_flight,
         max_retries, progress, on_progress, reports) -> Dict[str, Any]:
    from ray.exceptions import RayActorError, WorkerCrashedError  # noqa: PLC0415

    lost_errors = (RayActorError, WorkerCrashedError)
    try:  # Ray >= 2.x names an actor that cannot be reached this way.
        from ray.exceptions import ActorUnavailableError  # noqa: PLC0415

        lost_errors = lost_errors + (ActorUnavailableError,)
    except ImportError:
        pass

    started = time.monotonic()
    n = workers or _default_workers(ray, gpus_per_worker, len(pieces))
    actor_cls = ray.remote(_Worker).options(
        num_cpus=1, num_gpus=gpus_per_worker, max_restarts=0, max_concurrency=1
    )
    total = sum(len(json.loads(t)["frames"]) for _, t in pieces)
    meter = _Progress(total, progress and sys.stderr.isatty())
    results: List[List[str]] = [[] for _ in tasks]
    attempts = [0] * len(pieces)
    retry_resume = [resume] * len(pieces)
    queue = deque(range(len(pieces)))
    actors: Dict[int, Any] = {}
    pids: Dict[int, int] = {}
    inflight: Dict[int, int] = {}
    pending: Dict[Any, tuple] = {}
    worker_reports: List[dict] = []
    next_id = 0
    replacements_left = max(1, n) * max(1, max_retries)
    done = 0
    interrupted = False

    def start_actor():
        nonlocal next_id
        a = actor_cls.remote(deadline, threads, in_flight)
        actors[next_id] = a
        inflight[next_id] = 0
        next_id += 1
        return next_id - 1

    def lose(aid: int, why: str):
        if aid in actors:
            a = actors.pop(aid)
            try:
                ray.kill(a, no_restart=True)
            except Exception:  # noqa: BLE001 - already gone
                pass
            worker_reports.append({"worker": aid, "pid": pids.get(aid), "lost": True,
                                   "ok": None, "error": why})

    try:
        for _ in range(n):
            start_actor()
        for aid, pid in zip(list(actors), ray.get([a.pid.remote() for a in actors.values()])):
            pids[aid] = pid
        if on_progress:
            on_progress(0, total, list(pids.values()))
        while queue or pending:
            if interrupted:
                queue.clear()
            # Two pieces per worker: one running, one waiting, so a worker never idles.
            for aid, a in list(actors.items()):
                while queue and inflight[aid] < 2:
                    p = queue.popleft()
                    ref = a.run.remote(pieces[p][1], retry_resume[p])
                    pending[ref] = (aid, p)
                    inflight[aid] += 1
            if not pending:
                if queue and not actors:
                    if replacements_left <= 0:
                        break
                    replacements_left -= 1
                    aid = start_actor()
                    try:
                        pids[aid] = ray.get(actors[aid].pid.remote(), timeout=120)
                    except lost_errors + (ray.exceptions.GetTimeoutError,):
                        lose(aid, "a new worker did not start")
                continue
            try:
                ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
            except KeyboardInterrupt:
                interrupted = True
                continue
            for ref in ready:
                aid, p = pending.pop(ref)
                inflight[aid] = max(0, inflight.get(aid, 1) - 1)
                task_index, task_json = pieces[p]
                try:
                    out = ray.get(ref)
                except lost_errors as e:
                    lose(aid, f"worker lost: {type(e).__name__}")
                    attempts[p] += 1
                    if attempts[p] > max_retries:
                        results[task_index].append(_native.failed_result_json(
                            task_json,
                            f"error: the worker running this task died {attempts[p]} times",
                        ))
                    else:
                        # Frames the lost worker finished stay; the retry skips them.
                        retry_resume[p] = True
                        queue.appendleft(p)
                    # The surviving workers take the piece over; a new worker starts only
                    # when none is left (see the loop's top).
                    continue
                results[task_index].append(out)
                r = json.loads(out)
                frames = r["frames_written"] + r["frames_skipped"]
                done += frames
                meter.update(done, aid, frames)
                if on_progress:
                    on_progress(done, total, [pids[a] for a in actors if a in pids])
    except KeyboardInterrupt:
        interrupted = True
    finally:
        meter.close()
        # Stop every worker through its engine's shutdown; collect the cleanup reports.
        for ref in list(pending):
            try:
                ray.get(ref)
            except Exception:  # noqa: BLE001 - the summary reports what finished
                pass
        refs = {aid: a.shutdown.remote() for aid, a in actors.items()}
        for aid, ref in refs.items():
            try:
                rep = json.loads(ray.get(ref))
                rep.update(worker=aid, pid=pids.get(aid), lost=False)
            except lost_errors as e:
                rep = {"worker": aid, "pid": pids.get(aid), "lost": True, "ok": None,
                       "error": f"worker lost before shutdown: {type(e).__name__}"}
            worker_reports.append(rep)
            try:
                ray.kill(actors[aid], no_restart=True)
            except Exception:  # noqa: BLE001
                pass
    if reports is not None:
        reports.extend(worker_reports)
    cleanup_ok = all(r.get("ok") is not False for r in worker_reports)
    seconds = time.monotonic() - started
    return json.loads(_native.summary_json(tasks, results, seconds, interrupted, cleanup_ok))


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m isfkit.distributed",
        description="Render an isfkit batch job (the job files `isf batch` runs) on Ray.",
    )
    ap.add_argument("job", help="the job file (YAML or JSON)")
    ap.add_argument("--address", default="local",
                    help="local (start a local Ray), auto, or ray://HOST:PORT (default: local)")
    ap.add_argument("--workers", type=int, default=None, help="worker actors (default: all CPUs/GPUs)")
    ap.add_argument("--gpus-per-worker", type=float, default=0.0)
    ap.add_argument("--resume", action="store_true", help="skip frames already written")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON")
    ap.add_argument("--check", action="store_true", help="check the job file and exit")
    ap.add_argument("--chunk-frames", type=int, default=8, help="frames per piece of a stateless shader")
    ap.add_argument("--split-stateful", action="store_true",
                    help="cut stateful shaders into chunks too (each renders its lead-in)")
    ap.add_argument("--deadline", type=float, default=10.0, help="seconds one frame may take")
    ap.add_argument("--threads", type=int, default=1,
                    help="PNG/JPEG encoder threads per worker (default 1: each worker asks Ray "
                         "for one CPU; 0 = one per core)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    try:
        tasks = _native.plan_job(os.path.abspath(args.job))
    except ValueError as e:
        problems = list(getattr(e, "problems", []))
        if args.json:
            print(json.dumps({"problems": problems, "valid": False}, separators=(",", ":")))
        else:
            print(f"error: {e}", file=sys.stderr)
        return 2
    if args.check:
        frames = sum(len(json.loads(t)["frames"]) for t in tasks)
        if args.json:
            print(json.dumps({"frames": frames, "tasks": len(tasks), "valid": True},
                             separators=(",", ":")))
        else:
            print(f"{args.job}: valid ({len(tasks)} tasks, {frames} frames)")
        return 0
    try:
        _import_ray()
    except ImportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    summary = render_job(
        args.job, address=args.address, workers=args.workers,
        gpus_per_worker=args.gpus_per_worker, resume=args.resume,
        chunk_frames=args.chunk_frames, split_stateful=args.split_stateful,
        deadline=args.deadline, threads=args.threads, progress=not args.quiet,
    )
    if args.json:
        print(json.dumps(summary, separators=(",", ":"), sort_keys=True))
    elif not args.quiet:
        skipped = f" ({summary['frames_skipped']} skipped)" if summary["frames_skipped"] else ""
        print(
            f"{summary['tasks_run']} tasks, {summary['frames_written']} frames written{skipped}"
            f" in {summary['seconds']:.2f} s ({summary['fps']:.1f} fps), "
            f"{len(summary['failures'])} failed"
            + (", interrupted" if summary["interrupted"] else ""),
            file=sys.stderr,
        )
        for f in summary["failures"]:
            print(f"  failed: {f['shader']}", file=sys.stderr)
        if not summary["cleanup_ok"]:
            print("cleanup: a worker's engine leaked on shutdown", file=sys.stderr)
    if summary["interrupted"]:
        return 130
    return 0 if not summary["failures"] else 1


if __name__ == "__main__":
    # Run through the importable module, so Ray pickles the actor class by reference.
    from isfkit import distributed as _self

    sys.exit(_self.main())
