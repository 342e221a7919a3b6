"""Regular-expression building blocks of the boilerplate rules and the metadata reader: news
agencies as credits spell them, month names, dates, and the phrases of page noise.

They are general patterns of how news pages are written, not strings of any one page.
"""

from __future__ import annotations

import datetime as dt
import re

from wiretrace.clean import phrases

# How credits and datelines spell an agency -> the name recorded in ``credits``.
AGENCIES: dict[str, str] = {
    "AFP": "AFP",
    "AFPTV": "AFP",
    "Agence France-Presse": "AFP",
    "Agence France Presse": "AFP",
    "Reuters": "Reuters",
    "REUTERS": "Reuters",
    "Thomson Reuters": "Reuters",
    "AP": "AP",
    "AP Photo": "AP",
    "Associated Press": "AP",
    "The Associated Press": "AP",
    "dpa": "dpa",
    "DPA": "dpa",
    "PA": "PA",
    "PA Media": "PA",
    "PA Wire": "PA",
    "EPA": "EPA",
    "EPA-EFE": "EPA",
    "EFE": "EFE",
    "ANSA": "ANSA",
    "Xinhua": "Xinhua",
    "UPI": "UPI",
    "Bloomberg": "Bloomberg",
    "Kyodo": "Kyodo",
    "Kyodo News": "Kyodo",
    "Yonhap": "Yonhap",
    "TASS": "TASS",
    "AAP": "AAP",
    "Anadolu": "Anadolu",
    "Anadolu Agency": "Anadolu",
    "IANS": "IANS",
    "PTI": "PTI",
    "ANI": "ANI",
    "Belga": "Belga",
    "ANP": "ANP",
    "Lusa": "Lusa",
    # Poland's, Russia's, Czechia's, Hungary's, Bulgaria's, Turkey's, the Emirates', Qatar's,
    # Denmark's and Norway's: their names in a dateline or a credit are who sent it, no name
    # two reports share ("(PAP)" in every PAP story). Not Iran's IRNA: ECB+'s reports of one
    # Iranian earthquake share it as the source they quote (with it MiniLM's ECB+ recall fell
    # 0.952 -> 0.939)
    "PAP": "PAP",
    "Interfax": "Interfax",
    "Интерфакс": "Interfax",
    "ČTK": "ČTK",
    "MTI": "MTI",
    "BTA": "BTA",
    "İHA": "İHA",
    "DHA": "DHA",
    "WAM": "WAM",
    "QNA": "QNA",
    "Ritzau": "Ritzau",
    "NTB": "NTB",
    "INTERFAX": "Interfax",
    "РИА Новости": "RIA Novosti",
    "RIA Novosti": "RIA Novosti",
    "واس": "SPA",
    "قنا": "QNA",
    "Getty Images": "Getty Images",
    # as other scripts write them in datelines: "БРЮССЕЛЬ, 14 июля (Рейтер) -",
    # "القاهرة (رويترز) -", "بيروت (أ ف ب) -"
    "Рейтер": "Reuters",
    "ТАСС": "TASS",
    "رويترز": "Reuters",
    "أ ف ب": "AFP",
    "فرانس برس": "AFP",
}
# How an agency names itself as a publisher (a record's outlet field) beyond how credits
# spell it: its full name.
AGENCY_PUBLISHERS: dict[str, str] = {
    **AGENCIES,
    "Deutsche Presse-Agentur": "dpa",
    "Agencia EFE": "EFE",
    "United Press International": "UPI",
    "Xinhua News Agency": "Xinhua",
    "Yonhap News Agency": "Yonhap",
    "Australian Associated Press": "AAP",
    "Press Trust of India": "PTI",
    "Asian News International": "ANI",
    "Indo-Asian News Service": "IANS",
    "Press Association": "PA",
    "Agenzia Nazionale Stampa Associata": "ANSA",
    "Agência Lusa": "Lusa",
    # as the agencies write their names at home, and their sites' hosts that do not say them
    "新华社": "Xinhua",
    "新华网": "Xinhua",
    "Xinhuanet": "Xinhua",
    "news.cn": "Xinhua",
    "Anadolu Ajansı": "Anadolu",
    "AA": "Anadolu",
    "Polska Agencja Prasowa": "PAP",
    "Agenzia ANSA": "ANSA",
}
# Longest first, so that "AFPTV" wins over "AFP" and "PA Media" over "PA".
AGENCY = "(?:" + "|".join(re.escape(name) for name in sorted(AGENCIES, key=len, reverse=True)) + ")"

MONTHS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# English weekday names, Monday first (a weekday's number is its place)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CALENDAR_WORDS = frozenset(MONTHS) | frozenset(WEEKDAYS)  # English month and weekday names
MONTH = "(?i:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?i:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?i:day|nesday|rsday|urday)?\.?"
ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
ISO_DATE = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
# "Aug 11", "11 August", "Wednesday, Aug. 11, 2021"; the year is optional.
DAY_MONTH = (
    rf"(?:{WEEKDAY},?\s+)?(?:{MONTH}\s+{ORDINAL}|{ORDINAL}\s+(?:of\s+)?{MONTH})(?:,?\s+\d{{4}})?"
)
NUMERIC_DATE = r"\d{1,2}[./]\d{1,2}[./]\d{2,4}"
CLOCK = (
    r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?i:[ap]\.?m\.?)?"
    r"(?:\s*(?:[A-Z]{2,5}|GMT|UTC)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?)?)?"
)
ANY_DATE = rf"(?:{ISO_DATE}|{DAY_MONTH}|{NUMERIC_DATE}){CLOCK}"
# A capitalised name of up to four words ("Paz PIZARRO", "John Smith Jr.").
NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"

# Page noise, as sites word it: consent notices, link blocks, subscription prompts, share
# widgets, trailers.
CONSENT_STRONG = re.compile(
    r"(?i:we use cookies|(?:site|website|page) uses cookies|we need your consent|"
    r"(?:accept|allow|reject|decline) (?:all|cookies)|manage (?:your )?(?:cookie )?"
    r"(?:preferences|settings|consent|choices)|cookie (?:settings|preferences|policy|notice)|"
    r"by (?:continuing|clicking|using)[^.]{0,40}(?:site|website|accept|agree|consent)|"
    r"to load this (?:\S+ )?content|" + phrases.alternation(phrases.CONSENT) + ")"
)
CONSENT_WORDS = re.compile(
    r"(?i:cookies?|consent|privacy|preferences|third[- ]part(?:y|ies)|personal data|"
    r"partners|tracking|your device|your activity|"
    + phrases.alternation(phrases.CONSENT_WORDS)
    + ")"
)
CONSENT_BUTTON = re.compile(
    r"^(?i:(?:accept|reject|decline|agree|ok|okay|got it|manage|settings|preferences|allow|"
    r"close|more info(?:rmation)?|learn more|continue|i agree|yes|no|"
    + phrases.alternation(phrases.CONSENT_BUTTONS)
    + ")"
    # "Accept all cookies", and as other languages word it, "Accepter les cookies", "Aceptar
    # todas las cookies", "Accetta tutti i cookie"
    r"(?:\s+(?:all|(?:[^\s|/·•]+\s+){0,2}cookies?|settings|preferences|and close|&\s+close))*"
    r"[\s|/·•]*)+$"
)
RELATED_HEADING = re.compile(
    r"^(?i:(?:read|see|watch|listen)(?:\s+(?:more|also|next|this))?(?:\s+(?:on|about|from)"
    r"\s+.{1,40})?|related(?:\s+(?:articles?|stories|content|coverage|topics|news|links|"
    r"reading))?|more\s+(?:on|from|about|in)\s+.{1,40}|more\s+stories|recommended(?:\s+for\s+"
    r"you)?|you\s+(?:may|might)\s+(?:also\s+)?like|most\s+(?:read|popular|viewed|shared)|"
    r"trending(?:\s+now)?|top\s+stories|also\s+read|further\s+reading|editor'?s\s+picks?)"
    r"\s*[:»>]?$"
)
RELATED_INLINE = re.compile(
    r"^(?i:read\s+more|read\s+also|also\s+read|see\s+also|related|read\s+next|more|watch|"
    r"listen|recommended)\s*[:|»>]\s*\S"
)
SUBSCRIBE_PHRASE = re.compile(
    r"(?i:subscribe\s+(?:now|today|to\s+(?:our|the|read|continue)|for\s+(?:free|just|only|"
    r"unlimited))|sign\s+up\s+(?:for|to)\s+(?:our|the|a|receive|get)|(?:our|free|daily|weekly)"
    r"\s+newsletters?\b|support\s+(?:our|independent|quality|local)\s+journalism|"
    r"become\s+a\s+(?:member|subscriber|supporter|patron)|start\s+(?:your|a)\s+free\s+trial|"
    r"(?:donate|contribute)\s+(?:now|today))"
)
# Only a site's paywall or sign-up form says these.
PAYWALL = re.compile(
    r"(?i:already\s+(?:a\s+subscriber|have\s+an\s+account|subscribed)|"
    r"(?:log|sign)\s*in\s+to\s+(?:continue|read|comment)|unlock\s+(?:this|unlimited|full)|"
    r"this\s+(?:article|content|story)\s+is\s+(?:only\s+)?(?:for|available\s+to|reserved\s+for)"
    r"\s+(?:subscribers|members)|enter\s+your\s+e-?mail|"
    r"(?:have|'ve)\s+reached\s+(?:the|your)\s+(?:limit|maximum)\s+(?:of|for|on)\s+"
    r"(?:free|complimentary)|(?:register|renew|activate)\s+your\s+subscription|"
    # a sign-in widget's buttons run on as a sentence of their own: "Log In Sign Up"
    r"^(?:log|sign)\s*in\s+(?:or\s+)?(?:sign\s*up|subscribe|register)$)"
)
# The same in the other languages of ``phrases`` (in a short sentence: scraped pages run a
# widget's words into the headline and the article around them).
PROMPT_PHRASE = re.compile("(?i:" + phrases.alternation(phrases.SUBSCRIBE) + ")")
# The rest is a prompt only when the site speaks to the reader: as "our", in the imperative
# (after a lead-in: "For the latest on this story, subscribe to ...") or in a widget's
# fragment. An article's own sentence about a newsletter or a free trial reports in the third
# person and attributes ("the company said"); a how-to's "you" advises.
SITE_VOICE = re.compile(r"\b(?:[Oo]ur|[Uu]s)\b")
READER_VOICE = re.compile(r"(?i:\byou(?:rs?)?\b)|\b(?:[Oo]ur|[Uu]s)\b")
IMPERATIVE = re.compile(
    r"^[\W_]*(?:[^,;:]{1,60}[,;:]\s+)?(?i:(?:please|or|and|just|now|simply)\s+)?"
    r"(?i:subscribe|sign\s*(?:up|in)|log\s*(?:in|on)|register|join|support|become|unlock|"
    r"start|try|donate|contribute|enter|get|click|tap|(?:don'?t|never)\s+miss|stay|receive|"
    r"follow|claim|upgrade|create)\b"
)
ATTRIBUTED = re.compile(
    r"\b(?:said|says|told|according\s+to|announced|reported|urged|added|wrote|explained)\b"
)
_SHARE_WORD = (
    r"(?:share(?:\s+(?:this|on|via|article|story|page))*|"
    r"(?:tweet|e-?mail|print|copy\s+link|save)(?:\s+(?:this|the)\s+(?:article|story|page))?|"
    r"comments?|whatsapp|facebook|twitter|linkedin|pinterest|reddit|messenger|telegram|x)"
)
SHARE_LINE = re.compile(rf"^(?i:{_SHARE_WORD}(?:[\s|,/·•:]+{_SHARE_WORD})*)\s*:?$")
# A site's menu or breadcrumb trail: three or more items of one to three words between bars,
# dots or arrows ("Home | World | Politics", "Home › News › Europe"). Looked for only in a
# page's first and last lines: a body rarely prints such a line there.
_NAV_ITEM = r"[^\W_][\w&'’.-]*(?:[ ][\w&][\w&'’.-]*){0,2}"
# ... or ">" ("City Watch > News > Manchester")
# ... or words between spaced slashes ("Главная / Новости / Город"; no figures: "14 / 07 /
# 2026" is a date), either after a label and its colon ("当前位置：首页 > 新闻 > 北京")
_NAV_WORDS = r"[^\W\d_][\w&'’.-]*(?:[ ][\w&][\w&'’.-]*){0,2}"
NAVIGATION_LINE = re.compile(
    rf"^(?:{_NAV_ITEM}[ \t]*[:：][ \t]*)?"
    rf"(?:{_NAV_ITEM}(?:[ \t]*[|·•›»>][ \t]*{_NAV_ITEM}){{2,}}"
    rf"|{_NAV_WORDS}(?:[ \t]+/[ \t]+{_NAV_WORDS}){{2,}})[ \t]*$"
)
# A page's own controls, a line each above the article: "Skip to main content", "Menu",
# "Search", "Sign in" (looked for only before the article's first line).
_SITE_CONTROL = (
    r"(?i:skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|article)|"
    r"(?:open\s+|close\s+|main\s+)?menu|search|sign\s*in|log\s*in|sign\s*out|log\s*out|"
    r"my\s+account|toggle\s+navigation|home)"
)
# ... or several on one line, apart by two spaces or a bar ("Menu  Search  Log in")
SITE_CONTROL_LINE = re.compile(
    rf"^{_SITE_CONTROL}(?:(?:[ \t]{{2,}}|[ \t]*[|·•][ \t]*){_SITE_CONTROL})*$"
)
TRAILER_PHRASE = re.compile(
    # "Copyright 2024 ...", "Copyright © ...", not "Copyright holders lose any claim ..."
    r"(?:(?:©|\(c\)\s*\d{4}|(?i:copyright)\b(?!\s+[a-z]))|(?i:all rights reserved)|"
    r"(?i:read\s+(?:the\s+)?(?:full|whole|complete|original|rest\s+of\s+the)\s+"
    r"(?:story|article|report)\s+(?:at|on|in)\s)|"
    # the rest of a copyright notice: "This material may not be published, broadcast, ..."
    r"(?i:(?:this|the|[\w&'’.-]+)\s+(?:material|article|story|content)\s+may\s+not\s+be\s+"
    r"(?:published|reproduced|republished|broadcast|rewritten|redistributed|copied|used))|"
    r"(?i:no\s+part\s+of\s+this\s+(?:material|article|story|content|publication)\s+may)|"
    r"(?i:this\s+(?:article|story|report|piece|content)\s+(?:was\s+|is\s+|has\s+been\s+)?"
    r"(?:originally\s+|first\s+)?(?:published|appeared|republished|reproduced)\s+"
    r"(?:on|in|by|at|with|from|under))|"
    r"(?i:(?:originally|first)\s+(?:published|appeared)\s+(?:on|in|by|at))|"
    r"(?i:follow\s+(?:us|[a-z]+)\s+on\s+(?:twitter|facebook|instagram|linkedin|telegram|"
    r"whatsapp|x|youtube|tiktok|google\s+news))|"
    r"(?i:(?:download|get)\s+(?:our|the\s+\w+)\s+app)|(?i:(?:click|tap)\s+here\s+(?:to|for))|"
    r"(?i:" + phrases.alternation(phrases.TRAILER) + "))"
)
# "Brief News from Washington Newsday.", "Source: Example Times": the whole sentence is a name.
TRAILER_CREDIT = re.compile(
    rf"^(?:(?:[A-Z][a-z]+\s+){{0,2}}(?i:news|stories|articles|reports|content|updates)\s+"
    rf"(?i:from|by|via|courtesy\s+of|powered\s+by)\s+(?:the\s+)?{NAME}|"
    rf"(?i:source|sources|via)\s*:\s*{NAME})\s*\.?$"
)

_DAY_FIRST = re.compile(rf"(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{MONTH})")
_MONTH_FIRST = re.compile(rf"(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"\b(\d{4})\b")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DOTTED = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?![\d.])")


def parse_date(text: str, year: int | None = None) -> str | None:
    """ISO date (``YYYY-MM-DD``) of a date written as ISO, with a month name, or in figures
    between dots, day first as wherever dots are used (``14.07.2026``, PAP's datelines); a
    date without a year takes ``year``; None when no valid date can be made (numeric
    ``dd/mm`` dates are ambiguous and never parsed)."""
    found = _ISO.search(text)
    dotted = None if found else _DOTTED.search(text)
    if found:
        parts = (int(found[1]), int(found[2]), int(found[3]))
    elif dotted:
        parts = (int(dotted[3]), int(dotted[2]), int(dotted[1]))
    else:
        named = _DAY_FIRST.search(text) or _MONTH_FIRST.search(text)
        if named is None:
            return None
        stated = _YEAR.search(text[named.end() :])
        if stated is None and year is None:
            return None
        month = MONTHS[named["month"].lower().rstrip(".")]
        parts = (int(stated[1]) if stated else year or 0, month, int(named["day"]))
    try:
        return dt.date(*parts).isoformat()
    except ValueError:
        return None
