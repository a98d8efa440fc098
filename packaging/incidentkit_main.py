"""Entry script of the PyInstaller bundle: the same `main()` as the `incidentkit` console script.

The bundle is also the notice renderer's child process (there is no separate Python to
run `-m incidentkit.core.comms.worker`): started with `WORKER_ARG`, it serves renders.
"""

import sys

if __name__ == "__main__":
    from incidentkit.core.comms import WORKER_ARG

    if sys.argv[1:] == [WORKER_ARG]:
        from incidentkit.core.comms.worker import main as render_worker

        render_worker()
    else:
        from incidentkit.cli import main

        main()
