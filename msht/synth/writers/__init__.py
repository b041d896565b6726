"""One writer per source system: events in, a source file and its ground truth out."""
