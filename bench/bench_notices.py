"""A notice render as the Communications tab's preview does it: the customer notice for the Epsilon
sample through the render worker's process (JSON over its pipes, the sandbox's budget, escaping),
over the same job rendered in this process by the same sandbox code (both keep the compiled
templates between renders): the ratio is what running templates in a process that can be
killed costs per render. Median of RUNS each, after a warm-up
(the first render starts the worker; that cold start is printed as information). Goal: at most
3x: the pipe round trip with the JSON of a ~10 KB context costs about as much as a render of
already compiled templates (on the machine this was written on: 1.5 ms against 0.8 ms; 45 ms
for both before templates were kept compiled between renders).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = 15
GOAL = 3.0


def main() -> None:
    from bench.common import median_time, report
    from incidentkit.core.comms.context import notice_context
    from incidentkit.core.comms.library import TemplateLibrary
    from incidentkit.core.comms.sample import sample_record
    from incidentkit.core.comms.sandbox import Compiled, render_job
    from incidentkit.core.comms.worker import Renderer
    from incidentkit.core.deadlines.library import RulesLibrary

    library = TemplateLibrary.discover(None)
    template = library.get("customer-notice-email")
    context = notice_context(sample_record(RulesLibrary.discover(None).rules, timeline=False),
                             audience=template.audience)
    job = {"template": template.id, "sources": library.sources(), "context": context,
           "fields": [f.to_json() for f in library.fields_of(template)], "values": {}}
    with Renderer() as renderer:
        started = time.perf_counter()
        assert renderer.run(job)["ok"]
        cold = time.perf_counter() - started
        compiled = Compiled()
        floor = median_time(lambda: render_job(job, compiled), repeat=RUNS)
        measured = median_time(lambda: renderer.run(job), repeat=RUNS)
    report("notice_render_in_worker", measured / floor, GOAL,
           f"({measured * 1000:.1f} ms vs {floor * 1000:.1f} ms in process; first render with the worker's "
           f"start {cold * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
