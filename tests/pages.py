"""News pages for the web-input tests: one wire story republished by outlets with their own
page chrome (navigation, cookie banners, link lists, newsletter boxes, footers), and unrelated
stories under the same chrome. Written for these tests; no real site's markup."""

from __future__ import annotations

import html
from dataclasses import dataclass

WIRE_STORY = [
    "Flood defences along the lower river were raised overnight as forecasters warned that "
    "the water level would peak on Thursday, two days earlier than first expected.",
    "Engineers worked through the night to fit temporary barriers at four bridges, and the "
    "regional council opened three emergency shelters in school halls on higher ground.",
    "About 1,200 households in the low-lying districts were told to prepare to leave their "
    "homes at short notice, and the main railway line to the coast was closed as a precaution.",
    "The river authority said rainfall over the upper valley had been three times the monthly "
    "average in the past ten days, leaving the soil unable to absorb any more water.",
    "Farmers near the estuary moved livestock to higher fields on Wednesday, while volunteers "
    "filled sandbags outside the town hall until the supply ran out in the early afternoon.",
    "The mayor urged residents to check on elderly neighbours and to avoid driving through "
    "standing water, which she said had caused most of the rescues during the last flood.",
    "Insurers estimated that damage from the previous flood, four years ago, had exceeded 80 "
    "million, and several firms said they had already sent assessors to the area this week.",
    "The national weather service said a further band of heavy rain was expected on Friday, "
    "though it was likely to pass to the north of the worst affected catchment.",
]

UNRELATED = [
    [
        "The city orchestra announced a new principal conductor on Monday, ending a search "
        "that began when her predecessor retired after twenty seasons with the ensemble.",
        "She will lead eight programmes next season, including a cycle of symphonies that the "
        "orchestra has not performed in full since the concert hall reopened.",
        "Ticket sales rose by a fifth last year, the orchestra said, helped by cheaper seats "
        "for students and a series of free lunchtime concerts in the central library.",
    ],
    [
        "A new cycle lane linking the harbour to the university campus opened on Saturday "
        "after eighteen months of work and a long dispute over parking spaces.",
        "The lane runs for six kilometres and is separated from traffic by a low kerb, which "
        "the council said would be copied on two other routes next year.",
        "Shop owners on the harbour road had opposed the scheme, saying the loss of parking "
        "would drive customers away, but a survey found footfall unchanged after a month.",
    ],
]


@dataclass(frozen=True)
class Outlet:
    name: str
    host: str
    nav: tuple[str, ...]
    article_tag: str


OUTLETS = (
    Outlet(
        "Northern Courier", "northern-courier.example", ("News", "Sport", "Business"), "article"
    ),
    Outlet("Valley Post", "valleypost.example", ("Home", "Local", "Weather", "Opinion"), "div"),
    Outlet("Harbour Times", "harbourtimes.example", ("Latest", "Region", "Culture"), "article"),
)


def page(
    outlet: Outlet,
    slug: str,
    title: str,
    paragraphs: list[str],
    *,
    published: str | None = "2023-03-09T07:30:00Z",
    canonical: bool = True,
) -> str:
    """A complete HTML page: the article inside the outlet's chrome."""
    nav = "".join(f'<li><a href="/{item.lower()}">{item}</a></li>' for item in outlet.nav)
    # the outlet's own trailer sits inside the article body, where extractors keep it
    trailer = f"This story was first published by {outlet.name}. Follow us on Facebook for updates."
    body = "".join(f"<p>{html.escape(paragraph)}</p>" for paragraph in [*paragraphs, trailer])
    head = [f"<title>{html.escape(title)} | {outlet.name}</title>"]
    head.append(f'<meta property="og:site_name" content="{outlet.name}">')
    if canonical:
        head.append(f'<link rel="canonical" href="https://{outlet.host}/news/{slug}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{published}">')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{"".join(head)}</head>
<body>
<div id="cookie-banner">We use cookies to personalise content and ads. Accept all cookies or
manage your preferences in the privacy settings.</div>
<header><a href="/">{outlet.name}</a><nav><ul>{nav}</ul></nav></header>
<main>
<{outlet.article_tag} class="story">
<h1>{html.escape(title)}</h1>
{body}
</{outlet.article_tag}>
<aside class="related"><h2>Most read</h2><ul>
<li><a href="/a">Council approves budget after late-night session</a></li>
<li><a href="/b">Schools prepare for new term timetable</a></li>
</ul></aside>
<section class="newsletter"><h3>Sign up for our daily newsletter</h3>
<form><input type="email" placeholder="Enter your email"><button>Subscribe</button></form>
</section>
</main>
<footer><p>&copy; 2023 {outlet.name}. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""


def wire_copies() -> dict[str, str]:
    """The wire story as three outlets published it: the first as sent, the second with a
    paragraph dropped and an embedded link line, the third with a local paragraph added."""
    first, second, third = OUTLETS
    story = WIRE_STORY
    return {
        "courier-floods": page(first, "floods", "River flood defences raised", story),
        "valley-floods": page(
            second,
            "river-floods",
            "Flood warning: river to peak on Thursday",
            [*story[:3], "Read more: Rail services suspended across the region", *story[4:]],
        ),
        "harbour-floods": page(
            third,
            "floods-peak",
            "Defences raised as river rises",
            [
                *story[:5],
                "In the harbour district, the ferry company said crossings would run as normal "
                "unless the wind picked up overnight.",
                *story[5:],
            ],
        ),
    }


def unrelated_pages() -> dict[str, str]:
    """Two unrelated stories under the chrome of the first outlet."""
    outlet = OUTLETS[0]
    return {
        "courier-orchestra": page(outlet, "orchestra", "Orchestra names conductor", UNRELATED[0]),
        "courier-cycle-lane": page(outlet, "cycle-lane", "Harbour cycle lane opens", UNRELATED[1]),
    }
