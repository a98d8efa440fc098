"""The sandbox a notice template runs in. Called by the render worker (`worker.py`), in its own process.

    result = render_job(job)     # a dict in (JSON-shaped), a dict out: never an exception

A template is untrusted input. It runs in Jinja's `ImmutableSandboxedEnvironment`, which
refuses Python's internals (`''.__class__`) and changes to lists and dicts, with:

- a loader that serves only the templates it is given, by id: no file or network access;
- values escaped for Markdown by `finalize` (`markdown_text.escape`), so a field can never
  add a heading, a link or emphasis; the Markdown is then the single source of every
  output (HTML is made from it with raw HTML off, `.eml` headers are checked again);
- every undefined variable recorded with its line instead of rendering as "" (the
  `is defined` test and the `default` filter still work): the result lists them all;
- a budget: `range` is capped (as Jinja's sandbox does) and counted, calls, attribute
  lookups and `*`/`**` are checked, and output is counted as it is generated, so a
  runaway template stops with its line. The worker's hard limits (a kill after the time
  limit, a memory cap) catch what a single C-level operation would hide from these.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Iterator
from typing import Any

from jinja2 import BaseLoader, TemplateNotFound, TemplateSyntaxError, Undefined, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range

from incidentkit.core.comms import markdown_text
from incidentkit.core.comms.format_filters import FILTERS
from incidentkit.core.comms.vocabulary import MAX_OUTPUT_BYTES, MAX_SECONDS, PLACEHOLDER, PLACEHOLDER_START

_TICK_EVERY = 256


def filled(value: Any) -> bool:
    """`{% if organisation.hours is filled %}`: set, and not a placeholder for a missing detail."""
    return bool(value) and not (isinstance(value, str) and value.startswith(PLACEHOLDER_START))


class Stopped(Exception):
    """The template went over a limit; the message says which."""


class _Budget:
    def __init__(self, seconds: float, max_bytes: int) -> None:
        self.seconds, self.max_bytes = seconds, max_bytes
        self.deadline = time.monotonic() + seconds
        self.ticks = 0

    def tick(self) -> None:
        self.ticks += 1
        if self.ticks % _TICK_EVERY == 0 and time.monotonic() > self.deadline:
            raise Stopped(f"the template ran for more than {self.seconds:g} s and was stopped")

    def size(self, n: int) -> None:
        if n > self.max_bytes:
            raise Stopped(f"the template wrote more than {self.max_bytes // (1024 * 1024)} MB and was stopped")


def _template_line() -> tuple[str, int]:
    """The template file and line running now (the innermost Jinja frame on the stack)."""
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None:
            return template.filename or template.name or "", template.get_corresponding_lineno(frame.f_lineno)
        frame = frame.f_back
    return "", 0


def _undefined_class(found: list[dict[str, Any]]) -> type[Undefined]:
    """An Undefined that records each use (name, file, line) and renders as nothing."""

    class Recording(Undefined):
        __slots__ = ()

        def _note(self) -> None:
            path, line = _template_line()
            name = self._undefined_name if self._undefined_name is not None else self._undefined_hint or "?"
            has = sorted(k for k in self._undefined_obj if isinstance(k, str)) \
                if isinstance(self._undefined_obj, dict) else []
            entry = {"name": str(name), "path": path, "line": line, "has": has[:30]}
            if entry not in found:
                found.append(entry)

        def __str__(self) -> str:
            self._note()
            return ""

        def __iter__(self) -> Iterator[Any]:
            self._note()
            return iter(())

        def __bool__(self) -> bool:
            self._note()
            return False

        def __len__(self) -> int:
            self._note()
            return 0

        def __getattr__(self, name: str) -> Any:
            if name[:2] == "__":
                raise AttributeError(name)
            return self  # `vendor.name` with no vendor: one record, for `vendor`

        __getitem__ = __getattr__

    return Recording


class _Loader(BaseLoader):
    """Serves the given templates by id and nothing else."""

    def __init__(self, sources: dict[str, list[str]]) -> None:
        self.sources = sources

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
        found = self.sources.get(template)
        if found is None:
            raise TemplateNotFound(template)
        body, path = found
        return body, path, lambda: True


class NoticeEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, sources: dict[str, list[str]], budget: _Budget, undefined: type[Undefined], *,
                 escape: bool = True) -> None:
        self.escape = escape
        super().__init__(loader=_Loader(sources), autoescape=False, undefined=undefined, finalize=self._finalize,
                         trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False)
        self.budget = budget
        self.globals.clear()  # no lipsum, cycler, joiner or namespace: nothing a notice needs
        self.globals.update(range=self._range, dict=dict)
        self.filters.update(FILTERS)
        self.tests["filled"] = filled

    def _finalize(self, value: Any) -> Any:
        if isinstance(value, Undefined):
            return str(value)
        return markdown_text.escape(value) if self.escape else value

    def _range(self, *args: int) -> Iterator[int]:
        for i in safe_range(*args):
            self.budget.tick()
            yield i

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        raise SecurityError(f"access to attribute {attribute!r} of a {type(obj).__name__!r} object: "
                            "a template may not reach Python's internals")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.budget.tick()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.budget.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.budget.tick()
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        self.budget.tick()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > self.budget.max_bytes:
                    raise Stopped(f"`*` would make {len(seq) * n:,} items or characters, more than a notice can hold")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and \
                abs(right) * max(abs(left).bit_length(), 1) > 100_000:
            raise Stopped("`**` would make a number too large for a notice")
        return super().call_binop(context, operator, left, right)


def _where(tb: Any, paths: set[str]) -> tuple[str, int]:
    """The last template file and line in a traceback. Jinja rewrites the traceback of an
    error raised in a template so that its frames carry the template's file and line."""
    path, line = "", 0
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            path, line = template.filename or template.name or "", template.get_corresponding_lineno(tb.tb_lineno)
        elif tb.tb_frame.f_code.co_filename in paths:
            path, line = tb.tb_frame.f_code.co_filename, tb.tb_lineno
        tb = tb.tb_next
    return path, line


def _failure(message: str, path: str = "", line: int = 0) -> dict[str, Any]:
    return {"ok": False, "error": message, "path": path, "line": line}


class Compiled:
    """Templates compiled once and kept between renders (in the worker, for its life): the same
    sources (by content) get the same two environments, the body's and the field defaults';
    each render gives them its own budget and its own record of undefined variables."""

    def __init__(self, keep: int = 4) -> None:
        self.keep = keep
        self._found: dict[str, tuple[NoticeEnvironment, NoticeEnvironment, dict[str, Any]]] = {}

    def get(self, sources: dict[str, list[str]], budget: _Budget,
            undefined: type[Undefined]) -> tuple[NoticeEnvironment, NoticeEnvironment, dict[str, Any]]:
        key = hashlib.sha256(json.dumps(sources, sort_keys=True).encode("utf-8", "surrogatepass")).hexdigest()
        found = self._found.pop(key, None)
        if found is None:
            found = (NoticeEnvironment(sources, budget, undefined),
                     NoticeEnvironment(sources, budget, undefined, escape=False), {})
        self._found[key] = found                  # the most recent last
        while len(self._found) > self.keep:
            self._found.pop(next(iter(self._found)))
        for env in found[:2]:
            env.budget, env.undefined = budget, undefined
        return found


def render_job(job: dict[str, Any], compiled: Compiled | None = None) -> dict[str, Any]:
    """Render `job["template"]` with `job["context"]` and the fields; see `worker.py` for the shape."""
    budget = _Budget(job.get("seconds", MAX_SECONDS), job.get("max_bytes", MAX_OUTPUT_BYTES))
    paths = {path for _body, path in job["sources"].values()}
    undefined: list[dict[str, Any]] = []
    env, plain, defaults = (compiled or Compiled()).get(job["sources"], budget, _undefined_class(undefined))
    try:
        template = env.get_template(job["template"])
        context = dict(job["context"])
        values, unfilled = _resolve_fields(plain, defaults, job, context)
        shown = dict(values)
        for spec in job["fields"]:
            if spec["name"] in unfilled:
                shown[spec["name"]] = PLACEHOLDER.format(what=spec["label"])
        context["fields"] = shown
        text = _generate(template, context, budget)
    except TemplateSyntaxError as exc:
        return _failure(f"syntax error: {exc.message}", exc.filename or exc.name or "", exc.lineno or 0)
    except TemplateNotFound as exc:
        path, line = _where(exc.__traceback__, paths)
        return _failure(f"no template '{exc.name}' to include (templates are included by id)", path, line)
    except SecurityError as exc:
        return _failure(f"refused: {exc}", *_where(exc.__traceback__, paths))
    except Stopped as exc:
        return _failure(str(exc), *_where(exc.__traceback__, paths))
    except MemoryError:
        return _failure("the template needed too much memory and was stopped")
    except RecursionError:
        return _failure("the template nests or includes itself too deeply and was stopped")
    except UndefinedError as exc:
        return _failure(f"undefined: {exc.message}", *_where(exc.__traceback__, paths))
    except Exception as exc:  # a template's own runtime error: 1/0, a filter given the wrong type
        return _failure(f"{type(exc).__name__}: {exc}", *_where(exc.__traceback__, paths))
    return {"ok": True, "text": markdown_text.tidy(text), "fields": values, "unfilled": unfilled,
            "undefined": undefined}


def _resolve_fields(plain: NoticeEnvironment, defaults: dict[str, Any], job: dict[str, Any],
                    context: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """Each field's value: the one given, else its default rendered with the context. Defaults
    are plain text once rendered (not escaped): they are values like any a person types."""
    given: dict[str, str] = job.get("values", {})
    values: dict[str, str] = {}
    for spec in job["fields"]:
        name, default = spec["name"], spec.get("default") or ""
        if name in given:
            values[name] = str(given[name]).strip()
        elif default:
            if default not in defaults:
                defaults[default] = plain.from_string(default)
            values[name] = defaults[default].render({**context, "fields": {}}).strip()
        else:
            values[name] = ""
    unfilled = [s["name"] for s in job["fields"] if s.get("required") and not values[s["name"]]]
    return values, unfilled


def _generate(template: Any, context: dict[str, Any], budget: _Budget) -> str:
    chunks: list[str] = []
    size = 0
    for chunk in template.generate(context):
        size += len(chunk.encode("utf-8", "surrogatepass"))
        budget.size(size)
        budget.tick()
        chunks.append(chunk)
    return "".join(chunks)

