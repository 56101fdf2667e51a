"""The plugin's models; import them from here, not from the submodules."""

from .attendance import Attendance, SignUp
from .coach_log import CoachLogEntry
from .content import MembersOnlyArea
from .invitations import Invitation
from .notifications import Notification, NotificationPreference, OverdueReminder
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
from .people import (
    CoachAssignment,
    CoachNetworkMembership,
    Membership,
    Organisation,
    OrganisationContact,
    ProgramRole,
    Team,
)
from .programs import LearningSession, Program
from .projects import ImprovementProject, StageComment, StageHistory, StageState
from .workflows import ProjectWorkflow, WorkflowVersion

__all__ = [
    "AccessibilityStatementPage",
    "Attendance",
    "CoachAssignment",
    "CoachLogEntry",
    "CoachNetworkMembership",
    "CoachNetworkPage",
    "CoachTrainingPage",
    "ImprovementProject",
    "Invitation",
    "LearningSession",
    "LearningSessionPage",
    "MembersOnlyArea",
    "Membership",
    "NewsArticlePage",
    "NewsIndexPage",
    "Notification",
    "NotificationPreference",
    "Organisation",
    "OrganisationContact",
    "OverdueReminder",
    "Program",
    "ProgramPage",
    "ProgramRole",
    "ProjectWorkflow",
    "SessionListing",
    "SignUp",
    "StageComment",
    "StageGuidePage",
    "StageHistory",
    "StageState",
    "StandardPage",
    "Team",
    "WorkflowVersion",
]
