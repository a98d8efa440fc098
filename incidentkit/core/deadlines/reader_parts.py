"""Reading a rule's parts: sources, conditions, clocks and notice content (see reader.py)."""

from __future__ import annotations

import re

from incidentkit.core.deadlines.duration import parse_duration
from incidentkit.core.deadlines.fields import Fields, Problems, child, is_unknown, scalar_text
from incidentkit.core.deadlines.model import (
    ANYONE,
    Clock,
    Conditions,
    Contact,
    Content,
    DataCondition,
    Duration,
    OrganisationCondition,
    Source,
    Threshold,
)
from incidentkit.core.deadlines.vocabulary import (
    CONTACT_KINDS,
    CONTENT_FIELDS,
    FORBIDDEN_CONTENT,
    MILESTONES,
    PEOPLE_IN,
    RISK_OF_HARM,
    SOURCE_TYPES,
)
from incidentkit.core.scope.vocabulary import DATA_ELEMENTS, ORGANISATION_FLAGS
from incidentkit.core.yaml_nodes import Node

SOURCE_KEYS = ("citation", "url", "type", "as_of", "note")
CONDITION_KEYS = ("people", "people_in", "data", "organisation", "encryption_safe_harbour", "risk_of_harm",
                  "risk_of_harm_text", "ongoing_at")
DATA_KEYS = ("any_of", "all_of", "not_covered", "defined_in")
ORGANISATION_KEYS = ("any_of", "all_of", "none_of")
CLOCK_KEYS = ("start", "after_notice", "within", "wording", "target", "from_year_end", "holidays")
CONTENT_KEYS = ("title", "headings", "headings_in_order", "fields", "phrases", "forbidden", "contacts", "notes",
                "sources")
CONTACT_KEYS = ("kind", "name", "phone", "address", "url")
_THRESHOLD = re.compile(r"\s*(>=|<=|>|<)\s*([0-9][0-9,_]*)\s*\Z")
_HOLIDAYS = re.compile(r"(EU|[A-Z]{2}(-[A-Z0-9]{1,3})?)\Z")
_WEB = ("http://", "https://")


def read_sources(items: list[Node], where: str, problems: Problems) -> tuple[Source, ...]:
    out: list[Source] = []
    for n, node in enumerate(items, 1):
        f = child(node, f"{where} source {n}", problems, SOURCE_KEYS)
        if f is None:
            continue
        source = Source(citation=f.text("citation", required=True), type=f.choice("type", SOURCE_TYPES, required=True),
                        as_of=f.as_of("as_of"), url=f.text("url"), note=f.text("note"))
        if source.url and not source.url.lower().startswith(_WEB):
            f.error("url", f"'url' must be an http or https address, not '{source.url}'")
        f.done()
        if source.citation and source.type and source.as_of:
            out.append(source)
    return tuple(out)


def read_conditions(node: Node | None, where: str, problems: Problems) -> Conditions:
    if node is None:
        return Conditions()
    f = child(node, f"{where} conditions", problems, CONDITION_KEYS)
    if f is None:
        return Conditions()
    people = _threshold(f)
    data = f.get("data")
    org = f.mapping("organisation")
    conditions = Conditions(
        people=people,
        people_in=f.choice("people_in", PEOPLE_IN, default="jurisdiction"),
        data=None if data is None else (DataCondition(unknown=True) if is_unknown(data) else _data(data, f)),
        organisation=_organisation(org, f) if org is not None else OrganisationCondition(),
        encryption_safe_harbour=f.flag("encryption_safe_harbour", default=False, allow_unknown=True),
        risk_of_harm=f.choice("risk_of_harm", RISK_OF_HARM, default="not-allowed"),
        risk_of_harm_text=f.text("risk_of_harm_text"),
        ongoing_at=f.text("ongoing_at"),
    )
    f.done()
    return conditions


def _threshold(f: Fields) -> Threshold | None:
    found = f.get("people")
    if found is None:
        return ANYONE
    if is_unknown(found):
        return None
    match = _THRESHOLD.match(scalar_text(found.value))
    if match is None:
        f.error("people", f"'people' must be a comparison such as \"> 500\" or \">= 250\" (or unknown), "
                          f"not '{found.value}'")
        return ANYONE
    return Threshold(match.group(1), int(match.group(2).replace(",", "").replace("_", "")))


def _data(node: Node, parent: Fields) -> DataCondition | None:
    f = child(node, f"{parent.where}.data", parent.problems, DATA_KEYS)
    if f is None:
        return None
    # `any_of: unknown`: the reference does not say what is covered, only what `not_covered` lists.
    unknown = is_unknown(f.get("any_of"))
    any_of = () if unknown else _combinations(f, "any_of")
    data = DataCondition(any_of=any_of, all_of=frozenset(f.words("all_of", DATA_ELEMENTS)),
                         not_covered=_combinations(f, "not_covered"), defined_in=f.text("defined_in"),
                         unknown=unknown)
    if unknown and data.all_of:
        f.error("all_of", "'all_of' has no use with `any_of: unknown` (nothing is known to be covered)")
    if unknown and not data.not_covered:
        f.error("any_of", "`any_of: unknown` goes with a `not_covered` list; with nothing known either way, "
                          "write `data: unknown`")
    f.done()
    return data


def _combinations(f: Fields, key: str) -> tuple[frozenset[str], ...]:
    """A list whose items are data elements or lists of them (`[name, ssn]`)."""
    combos: list[frozenset[str]] = []
    for item in f.items(key):
        words = item.value if item.is_list else [item]
        combo = set()
        for word in words:
            token = scalar_text(word.value) if not isinstance(word.value, (dict, list)) else ""
            if token not in DATA_ELEMENTS:
                f.problems.error(word, f"{f.where}: unknown data element '{token}' "
                                       f"(known: {', '.join(DATA_ELEMENTS)})")
                continue
            combo.add(token)
        if combo:
            combos.append(frozenset(combo))
    return tuple(combos)


def _organisation(node: Node, parent: Fields) -> OrganisationCondition:
    f = Fields(node, f"{parent.where}.organisation", parent.problems, ORGANISATION_KEYS)
    org = OrganisationCondition(*(frozenset(f.words(key, ORGANISATION_FLAGS)) for key in ORGANISATION_KEYS))
    f.done()
    return org


def read_clocks(node: Node | None, where: str, problems: Problems, at: Node) -> tuple[Clock, ...]:
    """`clock:` as one mapping or a list of them (whichever ends first binds)."""
    if node is None:
        problems.error(at, f"{where}: 'clock' is required")
        return ()
    items = node.value if node.is_list else [node]
    clocks = tuple(c for c in (_clock(item, where, problems) for item in items) if c is not None)
    if not clocks and node.is_list:
        problems.error(node, f"{where}: 'clock' lists no clock")
    return clocks


def _duration(f: Fields, key: str) -> Duration | None:
    found = f.get(key)
    if found is None:
        return None
    try:
        return parse_duration(scalar_text(found.value))
    except ValueError as exc:
        f.error(key, f"'{key}': {exc}")
        return None


def _clock(node: Node, where: str, problems: Problems) -> Clock | None:
    f = child(node, f"{where} clock", problems, CLOCK_KEYS)
    if f is None:
        return None
    start = f.choice("start", MILESTONES)
    after = f.words("after_notice")
    if f.has("start") == bool(after):
        f.error("start", "give either 'start' (a milestone) or 'after_notice' (the ids of rules whose notice "
                         "starts the clock)")
    within_node = f.get("within")
    text = scalar_text(within_node.value).lower() if within_node is not None else ""
    within = None if text in ("none", "unknown", "") else _duration(f, "within")
    if within_node is None:
        f.error("within", "'within' is required: a duration such as `72 hours`, or `none` when the law sets no "
                          "fixed deadline, or `unknown`")
    target = _duration(f, "target")
    if target is not None and within is not None:
        f.error("target", "'target' is for rules with no fixed deadline (`within: none`)")
    holidays = f.text("holidays")
    if holidays and not _HOLIDAYS.match(holidays):
        f.error("holidays", f"'holidays' must be an ISO 3166 code such as US, US-CA or EU, not '{holidays}'")
    clock = Clock(start=start or None, after_notice=after, within=within, within_unknown=text == "unknown",
                  wording=f.text("wording", required=True), target=target,
                  from_year_end=bool(f.flag("from_year_end")), holidays=holidays)
    f.done()
    return clock


def read_content(node: Node | None, where: str, problems: Problems) -> Content | None:
    if node is None:
        return None
    f = child(node, f"{where} content", problems, CONTENT_KEYS)
    if f is None:
        return None
    contacts = []
    for n, item in enumerate(f.items("contacts"), 1):
        c = child(item, f"{f.where} contact {n}", problems, CONTACT_KEYS)
        if c is not None:
            contact = Contact(kind=c.choice("kind", CONTACT_KINDS, required=True), name=c.text("name", required=True),
                              phone=c.text("phone"), address=c.text("address"), url=c.text("url"))
            c.done()
            contacts.append(contact)
    content = Content(
        title=f.text("title"), headings=f.words("headings"), headings_in_order=bool(f.flag("headings_in_order")),
        fields=f.words("fields", CONTENT_FIELDS), phrases=f.words("phrases"),
        forbidden=f.words("forbidden", FORBIDDEN_CONTENT), contacts=tuple(contacts), notes=f.text("notes"),
        sources=read_sources(f.items("sources"), f.where, problems),
    )
    if not content.sources:
        f.error("sources", "'sources' is required: where each content requirement comes from")
    f.done()
    return content
