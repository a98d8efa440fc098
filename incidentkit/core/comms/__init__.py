"""Communications: notices drafted from sandboxed templates, checked against the law, approved and sent on the record."""

# The argument that makes the frozen bundle's executable the notice renderer's child
# process (`worker.py`); here, so the bundle's entry script can test for it without
# importing anything else.
WORKER_ARG = "--incidentkit-notice-render-worker"
