"""The notices' vocabularies: audiences, formats, the incident's notice details, the limits.

Tokens are stable: they are written into template files (ours and teams'), events and
JSON output. Each dict maps a token to the words the window and the docs use for it.
"""

from __future__ import annotations

from incidentkit.core.deadlines.vocabulary import RECIPIENTS

# Who a notice is for: the rules' recipients (whose obligations' content rules it is
# checked against) and three audiences no rule names. The window lists templates in this order.
AUDIENCES: dict[str, str] = {
    **RECIPIENTS,
    "customers": "our customers (a message that is not a legal notice)",
    "public": "the public (a website notice)",
    "internal": "our own people (executives, support staff)",
    "counsel": "counsel",
}

# What a template is written as: the output its drafts are usually exported to.
FORMATS: dict[str, str] = {
    "email": "an email (.eml: plain text and HTML)",
    "letter": "a postal letter (.pdf)",
    "web": "a web page (.html)",
    "document": "a document (.md, .pdf)",
}
DEFAULT_SUFFIX = {"email": ".eml", "letter": ".pdf", "web": ".html", "document": ".md"}
OUTPUT_SUFFIXES = (".txt", ".md", ".html", ".eml", ".pdf")

# The incident's notice details (`notice.details` events): who we are, who the vendor is,
# how people reach us, and the breach window. Each key's latest value stands.
DETAILS: dict[str, str] = {
    "organisation": "the organisation's name",
    "vendor": "the breached vendor's name",
    "website": "our website (the address people type in)",
    "notice_page": "the page on our website with the notice and FAQ",
    "phone": "the phone number people call about the notice",
    "hours": "when that line is open, with the time zone",
    "email": "the address notices are sent from and replies reach",
    "postal_address": "our postal address",
    "dpo_contact": "the data protection officer or other contact point",
    "phishing_report": "where to forward suspicious emails",
    "sending_domain": "the domain our real emails come from",
    "spokesperson": "the one person who speaks to the media",
    "signatory": "who signs the notice (name and title)",
    "breach_start": "when the unauthorised access began (ISO 8601)",
    "breach_end": "when it ended (ISO 8601)",
    "time_zone": "the time zone dates in notices are given in (IANA name; default UTC)",
}
TIME_DETAILS = ("breach_start", "breach_end")

# Approval roles (free words are allowed too; these are offered).
ROLES = ("legal", "privacy", "comms", "incident-lead", "exec")

# A template is untrusted: a render that runs longer or writes more than this is stopped.
MAX_SECONDS = 5.0
MAX_OUTPUT_BYTES = 10 * 1024 * 1024
# A template file (front matter and body) past this is refused unread.
MAX_TEMPLATE_BYTES = 256 * 1024
# Plain language: a sentence longer than this is flagged.
LONG_SENTENCE_WORDS = 30

TEMPLATE_SUFFIX = ".j2"

# What a notice shows for a detail not recorded or a required field left empty. Approval
# waits until no placeholder is left in the text.
PLACEHOLDER = "[to fill in: {what}]"
PLACEHOLDER_START = "[to fill in:"
