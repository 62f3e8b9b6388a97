"""Run isfkit batch jobs on a Ray cluster (or a local Ray instance), with the job files
``isf batch`` runs.

    python -m isfkit.distributed JOB.yaml [--address auto|ray://HOST:PORT|local]
        [--workers N] [--gpus-per-worker G] [--resume] [--json] [--collect]
        [--task-timeout S]

    from isfkit.distributed import render_job
    summary = render_job("job.yaml", address="local", workers=2)

The job file is read, checked and cut into pieces by isfkit's own job code (Rust, the code
``isf batch`` runs; ``isfkit._native.plan_job`` / ``plan_chunks``): every problem is listed
before anything is scheduled. Each Ray worker is an actor owning one isfkit batch runner (an
engine and an encoder pool) for its lifetime; it writes frames itself, atomically (temporary
name, then rename), to the planned output paths, which must be on a file system every worker
sees. When an actor stops, its engine shuts down and its cleanup report comes back; the
summary's ``cleanup_ok`` is false when any report shows a leak.

With ``--collect`` workers need no shared file system: each renders into a scratch folder
of its own and sends the encoded files back, and the driver writes them atomically.

Faults: a worker process that dies has its unfinished pieces retried on another worker (with
resume, so frames it finished are not rendered again), at most ``max_retries`` times per
piece, and a new worker takes its place at once while the others go on; a broken shader, or
one that hangs past the engine's deadline, fails its task, not the job, and is not retried;
a piece that runs past ``--task-timeout`` in all has its worker stopped and fails.

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

    def run_collect(self, task_json: str):
        """Renders into a scratch folder and returns (result JSON, [(path, bytes)])."""
        result, files = self._runner.run_task_collect(task_json, in_flight=self._in_flight)
        return result, [(os.fspath(p), bytes(b)) for p, b in files]

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
    collect: bool = False,
    task_timeout: Optional[float] = None,
) -> Dict[str, Any]:
    """Renders the job file at ``path`` on Ray and returns the summary ``isf batch --json``
    prints (same keys, built by the same Rust code).

    ``address``: ``"local"`` (start a local Ray instance), ``"auto"`` or ``"ray://HOST:PORT"``;
    an already initialised Ray is used as it is. ``workers`` actors (default: one per CPU, or
    per ``gpus_per_worker`` GPUs, at most one per piece), each asking Ray for one CPU and
    ``gpus_per_worker`` GPUs. Stills of stateless shaders go out in chunks of
    ``chunk_frames``, and so does a stateless shader's video file: each chunk writes a silent
    part beside it, and once all are written the driver joins them in order (stream copy,
    the sound muxed in as a one-machine run muxes it; ``.mkv``, lossless, gives the pixels of
    a one-machine run exactly); stateful shaders whole (``split_stateful`` cuts them too, each chunk
    rendering its own lead-in). ``on_progress(done, total, worker_pids)`` is called when
    workers start and after each piece. ``reports``, when a list, receives each worker's
    cleanup report (a dict; ``{"lost": True, ...}`` for a worker that died).

    ``collect``: workers render into a scratch folder of their own and send the encoded
    files back; the driver writes them (atomically) to the planned paths, so workers need
    not share the driver's file system. ``task_timeout``: seconds one piece may take in
    all; past it its worker is stopped, the piece fails (not retried) and a new worker
    takes over. A lost worker is replaced at once (at most ``workers * max_retries`` times
    in a run) while the others go on.

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
            in_flight, max_retries, progress, on_progress, reports, collect=collect,
            task_timeout=task_timeout,
        )
    finally:
        if started_ray:
            ray.shutdown()


def _already_written(task: dict, task_json: str) -> List[bool]:
    """For ``--collect --resume``: which of the piece's files are complete on the driver
    (workers cannot see them). Stills: one flag per frame; a video or GIF: one flag."""
    paths = _native.task_output_files(task_json)
    if task["output"]["kind"] == "stills":
        return [_native.frame_complete(p, task["width"], task["height"]) for p in paths]
    return [os.path.isfile(p) for p in paths]


def _collect_piece(task_json: str):
    """For ``--collect --resume``: the piece to send (``None`` when nothing is left), the
    number of frames already written, and the set of planned files complete on the driver.

    Stateless stills drop their written frames; a stateful shader drops only a written
    prefix (its lead-in renders those frames unwritten), and the driver does not rewrite
    the complete frames after it."""
    task = json.loads(task_json)
    done = _already_written(task, task_json)
    complete = {str(p) for p, d in zip(_native.task_output_files(task_json), done) if d}
    if task["output"]["kind"] != "stills":
        if done and done[0]:
            return None, len(task["frames"]), complete
        return task_json, 0, complete
    frames = task["frames"]
    if task["stateful"]:
        first = next((i for i, d in enumerate(done) if not d), len(frames))
        keep = frames[first:]
    else:
        keep = [f for f, d in zip(frames, done) if not d]
    if not keep:
        return None, len(frames), complete
    task["frames"] = keep
    return json.dumps(task), len(frames) - len(keep), complete


def _result_json(shader: str, written: int, skipped: int, error: Optional[str],
                 seconds: float) -> str:
    return json.dumps({"shader": shader, "frames_written": written,
                       "frames_skipped": skipped, "error": error, "seconds": seconds})


def _run(ray, tasks, pieces, workers, gpus_per_worker, resume, deadline, threads, in_flight,
         max_retries, progress, on_progress, reports, collect=False,
         task_timeout=None) -> Dict[str, Any]:
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
    pid_refs: Dict[Any, int] = {}
    # Each actor runs its pieces one at a time, in the order sent: `running[aid]` holds
    # (ref, piece) in that order, and `since[aid]` when its first one started.
    running: Dict[int, deque] = {}
    since: Dict[int, float] = {}
    pending: Dict[Any, tuple] = {}
    # --collect: per piece, frames found complete on the driver before sending, and the
    # planned files that were complete then (the driver does not write them again).
    pre_skipped = [0] * len(pieces)
    complete_before: List[set] = [set() for _ in pieces]
    worker_reports: List[dict] = []
    next_id = 0
    replacements_left = max(1, n) * max(1, max_retries)
    done = 0
    interrupted = False

    def start_actor():
        nonlocal next_id
        a = actor_cls.remote(deadline, threads, in_flight)
        actors[next_id] = a
        running[next_id] = deque()
        pid_refs[a.pid.remote()] = next_id
        next_id += 1
        return next_id - 1

    def lose(aid: int, why: str):
        """Stops worker `aid` and reports it lost. The pieces still sent to it go back to
        the front of the queue, in order; the caller has taken out the one it blames."""
        a = actors.pop(aid)
        try:
            ray.kill(a, no_restart=True)
        except Exception:  # noqa: BLE001 - already gone
            pass
        worker_reports.append({"worker": aid, "pid": pids.get(aid), "lost": True,
                               "ok": None, "error": why})
        for ref, p in reversed(list(running.pop(aid, ()))):
            pending.pop(ref, None)
            queue.appendleft(p)
        since.pop(aid, None)

    def replace():
        nonlocal replacements_left
        # A new worker takes the lost one's place at once, while the others go on.
        if replacements_left > 0 and (queue or pending):
            replacements_left -= 1
            start_actor()

    def finished(p: int, out: str):
        nonlocal done
        task_index = pieces[p][0]
        results[task_index].append(out)
        r = json.loads(out)
        frames = r["frames_written"] + r["frames_skipped"]
        done += frames
        return frames

    def write_collected(p: int, out) -> str:
        result_json, files = out
        r = json.loads(result_json)
        written = skipped = 0
        for path, data in files:
            if path in complete_before[p]:
                skipped += 1
                continue
            try:
                _native.write_file_atomic(path, data)
                written += 1
            except OSError as e:
                if not r["error"]:
                    r["error"] = f"error: {e}"
        return _result_json(r["shader"], written, r["frames_skipped"] + skipped
                            + pre_skipped[p], r["error"], r["seconds"])

    def resolve_pids(block: bool):
        if not pid_refs:
            return
        ready, _ = ray.wait(list(pid_refs), num_returns=len(pid_refs),
                            timeout=120 if block else 0)
        for ref in ready:
            aid = pid_refs.pop(ref)
            try:
                pids[aid] = ray.get(ref)
            except lost_errors:
                if aid in actors:
                    lose(aid, "a new worker did not start")
                    replace()

    # A stateless video cut into parts: its pieces, in frame order, by task. Resumed, a video
    # already joined is not rendered again.
    video_parts: Dict[int, List[int]] = {}
    for p, (i, t) in enumerate(pieces):
        if json.loads(t).get("part_of"):
            video_parts.setdefault(i, []).append(p)
    for i, ps in video_parts.items():
        whole = json.loads(tasks[i])["output"]["path"]
        if resume and os.path.isfile(whole):
            for p in ps:
                queue.remove(p)
                finished(p, _result_json(json.loads(pieces[p][1])["shader"], 0,
                                         len(json.loads(pieces[p][1])["frames"]), None, 0.0))

    try:
        for _ in range(n):
            start_actor()
        resolve_pids(block=True)
        if on_progress:
            on_progress(0, total, list(pids.values()))
        while queue or pending:
            if interrupted:
                queue.clear()
            resolve_pids(block=False)
            # Two pieces per worker: one running, one waiting, so a worker never idles.
            for aid, a in list(actors.items()):
                while queue and len(running[aid]) < 2:
                    p = queue.popleft()
                    task_json = pieces[p][1]
                    if collect:
                        if retry_resume[p]:
                            task_json, pre_skipped[p], complete_before[p] = \
                                _collect_piece(pieces[p][1])
                        if task_json is None:
                            out = _result_json(json.loads(pieces[p][1])["shader"], 0,
                                               pre_skipped[p], None, 0.0)
                            finished(p, out)
                            meter.update(done)
                            continue
                        ref = a.run_collect.remote(task_json)
                    else:
                        ref = a.run.remote(task_json, retry_resume[p])
                    pending[ref] = (aid, p)
                    if not running[aid]:
                        since[aid] = time.monotonic()
                    running[aid].append((ref, p))
            if not pending:
                if queue and not actors:
                    if replacements_left <= 0:
                        break
                    replace()
                    resolve_pids(block=True)
                continue
            try:
                ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
            except KeyboardInterrupt:
                interrupted = True
                continue
            for ref in ready:
                if ref not in pending:  # sent back to the queue when its worker was lost
                    continue
                aid, p = pending[ref]
                try:
                    out = ray.get(ref)
                except lost_errors as e:
                    # The worker died: the piece it was running (the first one sent to it
                    # that had not come back) counts an attempt; every piece sent to it goes
                    # back to the queue, and a new worker takes its place.
                    blamed = running[aid][0][1]
                    lose(aid, f"worker lost: {type(e).__name__}")
                    attempts[blamed] += 1
                    if attempts[blamed] > max_retries:
                        queue.remove(blamed)
                        finished(blamed, _native.failed_result_json(
                            pieces[blamed][1],
                            f"error: the worker running this task died {attempts[blamed]} "
                            "times",
                        ))
                    else:
                        # Frames the lost worker finished stay; the retry skips them.
                        retry_resume[blamed] = True
                    replace()
                    continue
                pending.pop(ref)
                # Pieces come back in the order they were sent to a worker.
                running[aid] = deque(e for e in running[aid] if e[0] != ref)
                since[aid] = time.monotonic()
                if collect:
                    out = write_collected(p, out)
                frames = finished(p, out)
                meter.update(done, aid, frames)
                if on_progress:
                    on_progress(done, total, [pids[a] for a in actors if a in pids])
            # A piece past the whole-task deadline: its worker is stopped (only a killed
            # process stops a shader that never ends), the piece fails without a retry, and
            # a new worker takes over the worker's other pieces.
            if task_timeout:
                now = time.monotonic()
                for aid in [a for a, q in running.items() if q]:
                    if now - since.get(aid, now) <= task_timeout:
                        continue
                    ref, p = running[aid].popleft()
                    pending.pop(ref, None)
                    finished(p, _native.failed_result_json(
                        pieces[p][1],
                        f"error: the task ran past its deadline of {task_timeout:g} s "
                        "(--task-timeout); its worker was stopped",
                    ))
                    lose(aid, f"stopped: its task ran past {task_timeout:g} s")
                    replace()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        meter.close()
        # Stop every worker through its engine's shutdown; collect the cleanup reports.
        # Pieces still running finish; their frames count, as isf batch counts them.
        for ref, (_, p) in list(pending.items()):
            try:
                out = ray.get(ref)
                finished(p, write_collected(p, out) if collect else out)
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
    _join_video_parts(tasks, pieces, results, video_parts)
    if reports is not None:
        reports.extend(worker_reports)
    cleanup_ok = all(r.get("ok") is not False for r in worker_reports)
    seconds = time.monotonic() - started
    return json.loads(_native.summary_json(tasks, results, seconds, interrupted, cleanup_ok))


def _join_video_parts(tasks, pieces, results, video_parts) -> None:
    """Joins each video cut into parts once every part is written (stream copy, the
    sound a one-machine run carries muxed in); a failed or missing part, or a failed join,
    leaves no file and no parts, and the task's result says why."""
    for i, ps in video_parts.items():
        paths = [json.loads(pieces[p][1])["output"]["path"] for p in ps]
        whole = json.loads(tasks[i])["output"]["path"]
        outcome = [json.loads(r) for r in results[i]]
        skipped = all(r["frames_written"] == 0 and not r["error"] for r in outcome)
        if len(outcome) == len(ps) and skipped and os.path.isfile(whole):
            continue  # resumed: joined by an earlier run
        if len(outcome) == len(ps) and all(not r["error"] for r in outcome) \
                and all(os.path.isfile(p) for p in paths):
            error = _native.join_video_parts(tasks[i], paths)
        else:
            error = None if any(r["error"] for r in outcome) else \
                "error: not every part of the video was written"
            for path in paths:
                if os.path.isfile(path):
                    os.remove(path)
        if error:
            shader = json.loads(tasks[i])["shader"]
            results[i].append(_result_json(shader, 0, 0, error, 0.0))


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
    ap.add_argument("--collect", action="store_true",
                    help="workers send encoded frames back and this process writes them "
                         "(no shared file system needed)")
    ap.add_argument("--task-timeout", type=float, default=None, metavar="S",
                    help="seconds one piece may take in all; past it its worker is stopped "
                         "and the piece fails")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.task_timeout is not None and not (args.task_timeout > 0
                                              and args.task_timeout != float("inf")):
        ap.error(f"--task-timeout must be a positive number of seconds, not {args.task_timeout}")
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
        collect=args.collect, task_timeout=args.task_timeout,
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
