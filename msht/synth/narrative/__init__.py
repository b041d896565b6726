"""Synthetic free text with planted signs of exploitation and exact ground-truth spans.

Writes the narratives of source records (intelligence logs, crime MO, custody notes,
partner findings, public reports, NRM and MS1 accounts, missing-person circumstances).
Signs come from ``phrasings.yaml`` in varied wordings, some flagged heldout; negated
mentions ("no visible injuries") are recorded apart and are never signs; ordinary records
get ordinary-crime sentences from ``frames.yaml``. MS1 accounts never name anyone: the
subject, controller and business are always referred to generically there.
"""

from __future__ import annotations

from msht.synth.narrative.composer import choose_indicators, compose, indicator_ids
from msht.synth.narrative.frames import KINDS
from msht.synth.narrative.records import Context, Narrative, Span

__all__ = [
    "KINDS",
    "Context",
    "Narrative",
    "Span",
    "choose_indicators",
    "compose",
    "indicator_ids",
]
