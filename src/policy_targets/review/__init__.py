"""The review report: a static site in which a researcher sees every extracted target in its
sentence, with the gold records it was scored against, and reads the errors.

Stages, one way: ``material`` runs the extractor on one plan and keeps what a page shows
(paragraphs, headings, targets with their offsets, numbers left out); ``verdicts`` puts each
record next to its gold using the scorer's own matching (``locate`` finds a missed gold
record's evidence in the text); ``marks`` nests highlights inside paragraphs and ``layout``
turns a plan into paragraphs of highlights; ``charts`` lays out the SVG bars; ``site``
renders the Jinja2 templates and writes the folder.
"""

from .site import write_review

__all__ = ["write_review"]
