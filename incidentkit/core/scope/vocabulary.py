"""The scope's vocabularies: data elements, organisation profile flags, encryption states.

One documented list each, shared by the scope profile, the notification rules that
test it and the notices that describe it in plain words. Tokens are stable: they are
written into events and into teams' own rule files.
"""

from __future__ import annotations

# Data elements a breach can expose, with the words a notice uses for them.
DATA_ELEMENTS: dict[str, str] = {
    "name": "names",
    "email": "email addresses",
    "password": "passwords or security questions and answers",
    "username": "user names",
    "postal-address": "postal addresses",
    "phone": "phone numbers",
    "date-of-birth": "dates of birth",
    "ssn": "Social Security numbers",
    "drivers-license": "driver's licence or state ID numbers",
    "passport": "passport numbers",
    "tax-id": "tax identification numbers",
    "financial-account": "financial account numbers",
    "payment-card": "payment card numbers",
    "health": "health or medical information",
    "health-insurance": "health insurance information",
    "biometric": "biometric data",
    "precise-geolocation": "precise geolocation",
    "online-identifier": "online identifiers",
}

# What the organisation is, as far as notification law cares; pinned per incident.
ORGANISATION_FLAGS: dict[str, str] = {
    "public-company": "public company (SEC reporting)",
    "hipaa-covered-entity": "HIPAA covered entity",
    "hipaa-business-associate": "HIPAA business associate",
    "nydfs-regulated": "regulated by the New York DFS (23 NYCRR 500)",
    "financial-institution": "financial institution (GLBA / FTC Safeguards Rule)",
    "us-bank": "US banking organisation (federal banking agencies' 36-hour rule)",
    "nis2-essential": "NIS2 essential entity",
    "nis2-important": "NIS2 important entity",
    "dora-financial-entity": "DORA financial entity",
    "card-merchant": "card merchant (PCI DSS)",
    "card-processor": "card processor or service provider (PCI DSS)",
    "health-app-vendor": "vendor of personal health records (FTC Health Breach Notification Rule)",
    "critical-infrastructure": "critical infrastructure entity (CIRCIA)",
    "telecoms-provider": "provider of a public electronic communications service (UK PECR reg. 5A)",
    "cn-cii-operator": "operator of critical information infrastructure in China (CAC incident reporting)",
    "vendor-is-processor": "the breached vendor processes the data on our behalf",
}

# Whether the exposed data was encrypted, and whether the key went with it.
ENCRYPTION_STATES: dict[str, str] = {
    "unknown": "not yet known",
    "no": "not encrypted",
    "yes": "encrypted, key not exposed",
    "key-exposed": "encrypted, but the key was exposed too",
}

# Records with no usable location: they may live anywhere, so they are counted apart.
UNKNOWN_JURISDICTION = "unknown"

# Member states of the European Economic Area, where the GDPR applies (EU 27 by the
# Treaty on European Union Art. 52 as of 2026, and Iceland, Liechtenstein and Norway by
# the EEA Joint Committee Decision 154/2018). Used to roll countries up into `EU`.
EEA_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
})

# Countries whose breach laws are per subdivision: people there are counted per state,
# province or territory (`US-CA`, `CA-ON`, `AU-NSW`); elsewhere per country.
SUBDIVIDED_COUNTRIES = frozenset({"US", "CA", "AU"})

# Head counts at which notification laws commonly add a recipient (an attorney general,
# the consumer reporting agencies, the media): the values of the `ag_threshold` and
# `cra_threshold` columns of the US state table (reference/us-state-breach-rules.csv,
# as of 2026). Each law's own comparison (`>1000` or `1,000 or more`) is the deadlines'
# business; the scope view only marks the highest one a count reaches.
NOTICE_THRESHOLDS = (50, 250, 500, 1_000, 5_000, 10_000)


def threshold_reached(count: int) -> int | None:
    """The highest of NOTICE_THRESHOLDS that `count` reaches, or None."""
    reached = [t for t in NOTICE_THRESHOLDS if count >= t]
    return reached[-1] if reached else None


def threshold_text(count: int) -> str:
    """`over 1,000`, or `exactly 500` where a law's "more than" and "or more" part; "" below them all."""
    reached = threshold_reached(count)
    if reached is None:
        return ""
    return f"over {reached:,}" if count > reached else f"exactly {reached:,}"
