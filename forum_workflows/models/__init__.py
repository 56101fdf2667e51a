"""The plugin's models; import them from here, not from the submodules."""

from .pages import (
    AccessibilityStatementPage,
    CoachNetworkPage,
    CoachTrainingPage,
    LearningSessionPage,
    NewsArticlePage,
    NewsIndexPage,
    ProgramPage,
    SessionListing,
    StageGuidePage,
    StandardPage,
)
from .programs import LearningSession, Program

__all__ = [
    "AccessibilityStatementPage",
    "CoachNetworkPage",
    "CoachTrainingPage",
    "LearningSession",
    "LearningSessionPage",
    "NewsArticlePage",
    "NewsIndexPage",
    "Program",
    "ProgramPage",
    "SessionListing",
    "StageGuidePage",
    "StandardPage",
]
