"""Network commands: build the entity graph and its metrics."""

from __future__ import annotations

from msht.cli.app import ProjectDir, _fail, _show_run, app
from msht.cli.present import TaskSink, progress_bar
from msht.errors import MshtError


@app.command()
def network(directory: ProjectDir) -> None:
    """Build the entity graph (network_node, network_edge) and its metrics (network_degree,
    network_address) again on the current store, as a new version; `msht run` does it too."""
    from msht.pipeline.run import network_again

    try:
        with progress_bar() as bar:
            result = network_again(directory, TaskSink(bar))
    except MshtError as exc:
        raise _fail(exc) from exc
    _show_run(result)
