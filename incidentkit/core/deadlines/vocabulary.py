"""The rules format's vocabularies: recipients, milestones, clock units, sources, notice content.

Tokens are stable: they are written into rule files (ours and teams'), events and
JSON output. Each dict maps a token to the words the board and the docs use for it.
"""

from __future__ import annotations

RECIPIENTS: dict[str, str] = {
    "individuals": "the people affected",
    "regulator": "the regulator",
    "attorney-general": "the attorney general",
    "consumer-reporting-agencies": "the consumer reporting agencies",
    "media": "the media",
    "investors": "investors",
    "card-brands": "the card brands",
    "insurer": "the insurer",
    "data-owner": "the data owner",
    "other": "others",
}

# Who owes the duty: we (the organisation using IncidentKit) or the breached vendor,
# whose duty to tell us is shown for reference and never starts one of our clocks.
OWED_BY: dict[str, str] = {
    "organisation": "us",
    "vendor": "the vendor",
}

STATUSES: dict[str, str] = {
    "in-force": "in force",
    "proposed": "proposed (not yet law)",
}

SOURCE_TYPES: dict[str, str] = {
    "statute": "the binding text",
    "regulator": "the regulator's guidance or forms",
    "secondary": "a law firm's or other secondary summary",
}

# Milestones: the facts a clock can start from. `aware` is the incident's awareness time
# (IncidentState.aware_at) and `incident-closed` its close (IncidentState.closed_at);
# `individuals-notified` follows from the notification log; the rest are recorded as
# `milestone.<name>` events.
MILESTONES: dict[str, str] = {
    "aware": "we became aware of the breach",
    "discovered": "the breach was discovered",
    "breach-determined": "we determined that a breach occurred",
    "materiality-determined": "we determined that the incident is material",
    "classified-major": "the incident was classified as major",
    "risk-assessed": "the risk to the people affected was assessed",
    "ransom-paid": "an extortion or ransom payment was made",
    "incident-handled": "the handling of the incident was completed",
    "individuals-notified": "the people affected were notified",
    "incident-closed": "the incident was closed in IncidentKit",
}
RECORDED_MILESTONES = ("discovered", "breach-determined", "materiality-determined", "classified-major",
                       "risk-assessed", "ransom-paid", "incident-handled")
# A milestone not recorded separately falls back to this one (shown as such): in a vendor
# breach we discover the breach when we become aware of it.
MILESTONE_FALLBACK: dict[str, str] = {"discovered": "aware"}
# A milestone not yet recorded cannot come after this one, whose time then gives the latest
# possible deadline: the handling of a closed incident has ended. The close never starts
# such a clock itself, since an incident is usually closed well after its handling (the
# playbook's follow-up phase: vendor review, lessons learned).
MILESTONE_BOUND: dict[str, str] = {"incident-handled": "incident-closed"}
# Milestones that may never happen: a clock starting at one not recorded does not run, and the
# duty does not arise (the reason given), rather than waiting for input.
IF_RECORDED: dict[str, str] = {
    "ransom-paid": "applies only if an extortion or ransom payment is made; none is recorded",
}

# The outcome of a risk assessment (`milestone.risk-assessed`, payload `level`).
RISK_LEVELS: dict[str, str] = {
    "unlikely": "unlikely to result in a risk or harm to the people affected",
    "risk": "likely to result in a risk to the people affected",
    "high": "likely to result in a high risk to the people affected",
}

# What a risk assessment can do to a rule's duty.
RISK_OF_HARM: dict[str, str] = {
    "not-allowed": "no risk-of-harm exception: the duty stands whatever the assessment says",
    "exempts": "an assessment finding harm unlikely removes the duty (document it)",
    "limited": "a risk-of-harm exception applies only in narrow cases (the duty is kept)",
    "required-high": "the duty arises only when the assessment finds a high risk",
    "unknown": "the reference does not say whether a risk-of-harm exception exists",
}

# Clock units, as written after the number in `within:` ("72 hours", "30 calendar days").
UNITS: dict[str, str] = {
    "hours": "hours",
    "calendar-days": "calendar days",
    "business-days": "business days",
    "calendar-months": "calendar months",
}

# Comparisons a people threshold can use, with their words ("more than 500").
COMPARISONS: dict[str, str] = {
    ">": "more than",
    ">=": "at least",
    "<": "fewer than",
    "<=": "at most",
}

# Where the people threshold is counted: the whole jurisdiction, or each subdivision
# (HIPAA's media notice: "more than 500 residents of a State").
PEOPLE_IN: dict[str, str] = {
    "jurisdiction": "in the jurisdiction",
    "any-subdivision": "in any one state or subdivision",
}

# Notice content (`content:` block): facts a notice must state.
CONTENT_FIELDS: dict[str, str] = {
    "organisation-name": "the name of the organisation giving notice",
    "contact-details": "how to reach us (toll-free number, address, website)",
    "dpo-contact": "the name and contact details of the data protection officer or another contact point",
    "breach-date": "the date, estimated date or date range of the breach",
    "discovery-date": "the date the breach was discovered",
    "notice-date": "the date of the notice",
    "what-happened": "a general description of the breach",
    "data-elements": "the types of personal information involved",
    "people-affected": "the approximate number of people affected",
    "likely-consequences": "the likely consequences of the breach",
    "measures-taken": "the measures taken or proposed to address the breach and mitigate its effects",
    "what-you-can-do": "what the people affected can do to protect themselves",
    "law-enforcement-delay": "whether notice was delayed by a law-enforcement investigation",
    "credit-monitoring-offer": "the offer of identity theft prevention or credit monitoring services",
    "cra-contacts": "toll-free numbers and addresses of the major consumer reporting agencies",
    "regulator-contacts": "toll-free numbers, addresses and websites of the FTC and the attorney general",
    "reasons-for-delay": "the reasons for a delay beyond the deadline",
    "right-to-police-report": "the right to obtain a police report",
    "security-freeze": "how to place a security freeze",
}

# Notice content: kinds of content a notice must not contain.
FORBIDDEN_CONTENT: dict[str, str] = {
    "nature-of-breach": "the nature of the breach or unauthorised acquisition or use",
    "number-affected": "the number of residents affected",
    "personal-information": "any personal information of the people affected",
}

# Kinds of contact a notice must give (`content.contacts[].kind`).
CONTACT_KINDS: dict[str, str] = {
    "regulator": "a regulator",
    "consumer-reporting-agency": "a consumer reporting agency",
    "other": "another organisation",
}

UNKNOWN = "unknown"

# A rules file for one jurisdiction is a few KB; anything past this is refused unread.
MAX_FILE_BYTES = 1_000_000
