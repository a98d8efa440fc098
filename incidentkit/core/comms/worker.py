"""The render worker: templates run in a child process, which can be stopped.

    with Renderer() as renderer:
        done = renderer.render(template, sources=library.sources(), context=context, values={"x": "y"})
        done.text, done.fields, done.unfilled

Why a process. A template is untrusted and Jinja compiles it to Python. Inside the
sandbox (`sandbox.py`) a budget stops most runaways with their line: loops, calls and
output are counted, and `*`/`**` are checked before they run. But one C-level operation
(`'x'|center(2000000000)`, sorting a ten-million-item list) never returns to Python to be
counted, and a thread running it cannot be stopped. A child process can: after the time
limit (and a short grace for the sandbox's own, clearer, message) it is killed, and on
Linux its address space is capped so that a huge allocation fails as a MemoryError
inside it. One child serves every render until it is closed or killed (a new one starts
on the next render), so a render costs a pipe round trip, not a process start.

The child is `python -P -m incidentkit.core.comms.worker` (in a frozen bundle, the
bundle's executable with `WORKER_ARG`, which its entry script hands to `main`), not a
`multiprocessing` child: that would run the parent's main script again in the child.
Jobs and replies cross the pipes as length-prefixed JSON, never pickle: nothing the
sandbox returns is executed.
"""

from __future__ import annotations

import json
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from incidentkit.core.comms import WORKER_ARG
from incidentkit.core.comms.templates import FieldSpec, NoticeTemplate
from incidentkit.core.comms.vocabulary import MAX_OUTPUT_BYTES, MAX_SECONDS
from incidentkit.core.errors import IncidentKitError

_START_SECONDS = 120.0     # a cold start on a busy machine; the render limit starts after it
_GRACE_SECONDS = 1.0       # the sandbox's own stop comes first, with the template's line
_MEMORY_HEADROOM = 1024 * 1024 * 1024
_FRAME = struct.Struct(">I")


class TemplateError(IncidentKitError):
    """A template that cannot be rendered: its error, or every undefined variable, with lines."""

    def __init__(self, message: str, problems: list[tuple[str, int, str]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []      # (path, line, message) for validate


@dataclass(frozen=True)
class Rendered:
    text: str                        # the Markdown, tidied
    fields: dict[str, str]           # every field's value as used (a default when none was given)
    unfilled: tuple[str, ...]        # required fields still empty (shown as placeholders)


def _write(out: IO[bytes], message: dict[str, Any]) -> None:
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    out.write(_FRAME.pack(len(data)) + data)
    out.flush()


def _read(stream: IO[bytes]) -> dict[str, Any] | None:
    head = stream.read(_FRAME.size)
    if len(head) < _FRAME.size:
        return None
    (size,) = _FRAME.unpack(head)
    data = stream.read(size)
    return json.loads(data) if len(data) == size else None


def _limit_memory() -> None:
    try:
        import os
        import resource

        with open(f"/proc/{os.getpid()}/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (used + _MEMORY_HEADROOM, used + _MEMORY_HEADROOM))
    except (ImportError, OSError, ValueError):
        pass  # no /proc or no RLIMIT_AS (macOS, Windows): the time limit still holds


def main() -> None:
    """The child: render jobs from stdin until it closes; replies on stdout."""
    from incidentkit.core.comms.sandbox import Compiled, render_job

    compiled = Compiled()
    jobs, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies may reach the pipe
    _limit_memory()
    _write(replies, {"ready": True})
    while (job := _read(jobs)) is not None:
        try:
            reply = render_job(job, compiled)
        except MemoryError:
            reply = {"ok": False, "error": "the template needed too much memory and was stopped", "path": "",
                     "line": 0}
        _write(replies, reply)


class Renderer:
    """Renders templates in a child process; safe to share between threads (one render at a time)."""

    def __init__(self, *, seconds: float = MAX_SECONDS, max_bytes: int = MAX_OUTPUT_BYTES) -> None:
        self.seconds, self.max_bytes = seconds, max_bytes
        self._lock = threading.Lock()
        self._proc: Any = None              # a subprocess.Popen
        self._replies: queue.Queue[dict[str, Any] | None] = queue.Queue()

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> None:
        if getattr(sys, "frozen", False):
            command = [sys.executable, WORKER_ARG]
        else:
            command = [sys.executable, "-P", "-m", "incidentkit.core.comms.worker"]
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        replies: queue.Queue[dict[str, Any] | None] = queue.Queue()

        def pump() -> None:  # a blocking read with a timeout, on every platform
            while (reply := _read(proc.stdout)) is not None:
                replies.put(reply)
            replies.put(None)

        threading.Thread(target=pump, name="notice-render-replies", daemon=True).start()
        self._proc, self._replies = proc, replies
        if self._next(_START_SECONDS) is None:
            self._stop(kill=True)
            raise IncidentKitError("the notice renderer did not start")

    def _next(self, seconds: float) -> dict[str, Any] | None:
        try:
            return self._replies.get(timeout=seconds)
        except queue.Empty:
            return None

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _stop(self, kill: bool = False) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if kill:
            proc.kill()
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.stdout.close()

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        """Send one job; its reply. A child that runs out of time is killed (a new one starts next time)."""
        job = {**job, "seconds": self.seconds, "max_bytes": self.max_bytes}
        with self._lock:
            if self._proc is None:
                self._start()
            try:
                _write(self._proc.stdin, job)
            except OSError:
                self._stop(kill=True)
                return _gone()
            reply = self._next(self.seconds + _GRACE_SECONDS)
            if reply is not None:
                return reply
            died = self._proc.poll() is not None
            self._stop(kill=True)
        if died:
            return _gone()
        return {"ok": False, "error": f"the template ran for more than {self.seconds:g} s and was stopped",
                "path": "", "line": 0}

    def render(self, template: NoticeTemplate, *, sources: dict[str, tuple[str, str]], context: dict[str, Any],
               values: dict[str, str] | None = None, fields: Sequence[FieldSpec] | None = None) -> Rendered:
        """Render `template` (its includes from `sources`, its fields `fields`, by default its own);
        TemplateError with every problem found."""
        specs = template.fields if fields is None else fields
        reply = self.run({"template": template.id, "sources": sources, "context": context,
                          "fields": [f.to_json() for f in specs], "values": values or {}})
        if not reply.get("ok"):
            path, line = reply.get("path") or template.path, int(reply.get("line") or 0)
            where = f"{path}:{line}: " if line else f"{path}: "
            raise TemplateError(where + str(reply.get("error")), [(path, line, str(reply.get("error")))])
        undefined = reply.get("undefined") or []
        if undefined:
            problems = [(u.get("path") or template.path, int(u.get("line") or 0), _undefined_words(u)) for u in undefined]
            names = ", ".join(f"{u['name']} (line {u['line']})" if u.get("line") else u["name"] for u in undefined)
            raise TemplateError(f"{template.path}: undefined variables: {names}", problems)
        return Rendered(reply["text"], dict(reply["fields"]), tuple(reply["unfilled"]))


def _undefined_words(found: dict[str, Any]) -> str:
    has = found.get("has") or []
    hint = f" (it has: {', '.join(has)})" if has else ""
    return f"'{found['name']}' is undefined{hint}"


def _gone() -> dict[str, Any]:
    return {"ok": False, "error": "the template stopped the renderer (it may have needed too much memory)",
            "path": "", "line": 0}


if __name__ == "__main__":
    main()
