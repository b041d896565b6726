"""When each kind of event happened: the date an analyst would put on it, per event type.

An MS1 Duty to Notify is left out: by law it names no one, so nothing joins it to a person.
"""

from __future__ import annotations

#: Event type → (table, SQL of its date from columns of alias e).
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "CrimeReport": ("crime_report", "coalesce(e.offence_date, e.reported_date)"),
    "IntelligenceReport": ("intelligence_report", "e.report_date"),
    "CustodyRecord": ("custody_record", "e.arrest_date"),
    "NRMReferral": ("nrm_referral", "e.referral_date"),
    "PartnerVisit": ("partner_visit", "e.visit_date"),
    "MissingEpisode": ("missing_episode", "e.reported_date"),
    "PublicReport": ("public_report", "e.report_date"),
}
#: The MS1's date, for the text of its account (which has no person to join).
DUTY_TO_NOTIFY = ("DutyToNotify", "duty_to_notify", "e.notification_date")

#: R11: intelligence (alias e) without a source evaluation or an assessment, or assessed E
#: (suspected false), may be shown but never raises a risk factor.
USABLE = (
    "(e.source_evaluation IS NOT NULL AND e.intelligence_assessment IS NOT NULL "
    "AND e.intelligence_assessment <> 'E')"
)


def unusable_rows(tables: set[str]) -> str:
    """SQL of the (source, source_record_id) rows of intelligence that may raise no factor."""
    if "intelligence_report" not in tables:
        return (
            "SELECT CAST(NULL AS VARCHAR) AS source, "
            "CAST(NULL AS VARCHAR) AS source_record_id WHERE false"
        )
    return f"SELECT e.source, e.source_record_id FROM intelligence_report e WHERE NOT {USABLE}"
