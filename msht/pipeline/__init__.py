"""The one orchestrator: runs the stages of a project in order and records the run."""
