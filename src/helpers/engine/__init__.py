"""The build engine: knows nothing of this project. A task list in (tasks), hashes and state
(state), warm kernels (kernels) forked from a template (forking), one task on a worker
(worker), process pool or Dask (pools), one build at a time (lock), temp-then-rename writes
(atomic); runner.execute ties them up."""
